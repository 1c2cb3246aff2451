/**
 * Checks shared by the API's values and the store. Not API: public only because Java has no other way to share code
 * across packages and artifacts; it may change in any release.
 */
package dev.eventstore.internal;

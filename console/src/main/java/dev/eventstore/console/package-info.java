/**
 * The operations console: Jakarta REST resources over the store's queries and the asynchronous projections'
 * operations, and a static single-page front end. The resources stay thin; what can be tested without a server
 * (parsing and checking filters, rendering payloads, the cross-site request check, the projection actions) lives in
 * small classes beside them.
 */
package dev.eventstore.console;

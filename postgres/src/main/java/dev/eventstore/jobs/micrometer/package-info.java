/**
 * Optional Micrometer meters for retention and replay. Only this package refers to Micrometer; use it directly when
 * Micrometer is on the class path, or go through {@link dev.eventstore.jobs.MetricsBinding}, which never loads it
 * otherwise.
 */
package dev.eventstore.jobs.micrometer;

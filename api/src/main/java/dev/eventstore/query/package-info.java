/**
 * Searching the event log: {@link dev.eventstore.query.EventQuery} (filters, order, paging) and
 * {@link dev.eventstore.query.EventTypePattern} (exact event-type names and dotted wildcard patterns).
 */
package dev.eventstore.query;

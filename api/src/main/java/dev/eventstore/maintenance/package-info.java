/**
 * Maintenance of the event log: opt-in {@link dev.eventstore.maintenance.EventRetention retention} (deleting old
 * events) and the figures of retention and replay runs, as immutable snapshots.
 *
 * <p>These operations are deliberately not on {@link dev.eventstore.EventStore}: application code appends and reads,
 * while deleting history is an operator's decision.
 */
package dev.eventstore.maintenance;

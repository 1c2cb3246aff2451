package dev.eventstore;

import java.util.List;

/**
 * An append-only event log with optimistic concurrency per aggregate instance.
 *
 * <p>The store never owns a transaction: it works inside the caller's (a JDBC connection's, or the current JTA
 * transaction in a container). Events written by an append become visible to others when that transaction commits,
 * and vanish if it rolls back.
 */
public interface EventStore {

    /**
     * Appends events for one aggregate instance atomically, after checking {@code expected} against the aggregate's
     * current version. Versions are assigned consecutively after the current one.
     *
     * @param expected the version the caller based its decision on
     * @param events   one or more events, all for the same aggregate type and id
     * @return the events written with their versions and global positions
     * @throws OptimisticConcurrencyException if the aggregate is not at the expected version (nothing is written)
     * @throws DuplicateEventIdException      if an event id is already stored (nothing is written)
     * @throws IllegalArgumentException       if the batch is empty, mixes aggregates or repeats an event id
     */
    AppendResult append(ExpectedVersion expected, List<Event> events);

    /** Appends a single event; see {@link #append(ExpectedVersion, List)}. */
    default AppendResult append(ExpectedVersion expected, Event event) {
        return append(expected, List.of(event));
    }

    /** Reads every event of one aggregate instance in version order; an empty stream when it has none. */
    default AggregateStream readAggregateStream(String aggregateType, String aggregateId) {
        return readAggregateStream(aggregateType, aggregateId, VersionRange.all());
    }

    /**
     * Reads the events of one aggregate instance whose versions fall in {@code versions} (inclusive bounds), in
     * version order; an empty stream when none match.
     */
    AggregateStream readAggregateStream(String aggregateType, String aggregateId, VersionRange versions);

    /**
     * Reads up to {@code limit} events with a global position greater than {@code afterPosition}, ascending.
     *
     * <p>This reads what is visible now. Under concurrent writers a smaller position may still commit later, so the
     * last position returned is not a safe checkpoint; asynchronous projections use a gap-aware reader instead.
     *
     * @param afterPosition exclusive lower bound, {@code >= 0} (0 reads from the start)
     * @param limit         maximum number of events, {@code >= 1}
     */
    List<PersistedEvent> readEvents(long afterPosition, int limit);

    /** The highest global position visible to the caller, 0 when the log is empty. Not a safe checkpoint. */
    long latestGlobalPosition();
}

package dev.eventstore;

import dev.eventstore.query.EventQuery;

import java.util.List;
import java.util.stream.Stream;

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
     * version order; an empty stream when none match. A range whose {@code from} exceeds its {@code to}
     * ({@link VersionRange#isEmpty()}) matches nothing, so it reads as an empty stream, like a range beyond the end.
     *
     * @throws IllegalArgumentException if a name is blank or {@code versions} is null (negative bounds are already
     *                                  rejected by {@link VersionRange})
     */
    AggregateStream readAggregateStream(String aggregateType, String aggregateId, VersionRange versions);

    /**
     * Reads up to {@code limit} events with a global position greater than {@code afterPosition}, ascending.
     *
     * <p>This reads what is visible now. Under concurrent writers a smaller position may still commit later, so the
     * last position returned is not a safe checkpoint; asynchronous projections use a gap-aware reader instead.
     *
     * @param afterPosition exclusive lower bound, {@code >= 0} (0 reads from the start)
     * @param limit         maximum number of events, {@code >= 0}; 0 returns an empty list
     * @return the events read; unmodifiable, empty when none are left or {@code limit} is 0
     * @throws IllegalArgumentException if {@code afterPosition} or {@code limit} is negative
     */
    List<PersistedEvent> readEvents(long afterPosition, int limit);

    /** The highest global position visible to the caller, 0 when the log is empty. Not a safe checkpoint. */
    long latestGlobalPosition();

    /**
     * The events matching {@code query}, in its order, at most {@link EventQuery#limit()} of them. For more than a
     * page, continue with {@link EventQuery#continueAfter(PersistedEvent)} or use {@link #stream(EventQuery)}.
     *
     * @return the matching events; unmodifiable
     * @throws IllegalArgumentException if the query's limit exceeds {@value #MAX_QUERY_LIMIT} (use {@code stream}),
     *                                  or the database rejects a value (for example metadata that is not valid JSON)
     */
    List<PersistedEvent> query(EventQuery query);

    /** Largest limit {@link #query(EventQuery)} accepts; larger results go through {@link #stream(EventQuery)}. */
    int MAX_QUERY_LIMIT = 10_000;

    /**
     * How many events match the filters of {@code query}. Paging (limit, offset, keyset continuation) and order are
     * ignored, so this is the total behind a paged listing.
     */
    long count(EventQuery query);

    /**
     * The events matching {@code query}, in its order, read lazily through a server-side cursor: memory use stays
     * constant whatever the number of results. The limit applies only when set explicitly
     * ({@link EventQuery#hasExplicitLimit()}).
     *
     * <p><strong>The stream holds a database cursor and must be closed</strong>: use try-with-resources.
     * Closing releases the statement; the connection stays the caller's.
     *
     * <pre>{@code
     * try (Stream<PersistedEvent> events = store.stream(query)) {
     *     events.forEach(exporter::write);
     * }
     * }</pre>
     *
     * <p>A cursor lives inside a transaction, so the connection must not be in auto-commit mode (a JTA transaction or
     * {@code setAutoCommit(false)}); in auto-commit mode the call fails with {@link IllegalStateException} rather than
     * silently loading every row into memory. The stream sees the snapshot of its query; it is sequential.
     *
     * @throws IllegalStateException if the connection is in auto-commit mode
     */
    Stream<PersistedEvent> stream(EventQuery query);
}

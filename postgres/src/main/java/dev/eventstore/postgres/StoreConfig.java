package dev.eventstore.postgres;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Where the store keeps its tables and whether it announces appends.
 *
 * @param eventsTable      the event log, default {@code events}
 * @param headsTable       one row per aggregate instance with its current version, default {@code aggregate_heads}
 * @param notifyChannel    when present, every append sends {@code pg_notify(channel, aggregateType)} inside its
 *                         transaction, so listeners wake up only after commit; the payload is empty instead when the
 *                         aggregate type is too long for NOTIFY (8,000 bytes or more in PostgreSQL's default build)
 * @param checkpointsTable checkpoints and leases of asynchronous projections, default {@code projection_checkpoints}
 * @param queryIndexes     the optional query indexes the schema creates, default all of {@link QueryIndex}
 */
public record StoreConfig(SqlName eventsTable, SqlName headsTable, Optional<SqlName> notifyChannel,
                          SqlName checkpointsTable, Set<QueryIndex> queryIndexes) {

    public static final String DEFAULT_EVENTS_TABLE = "events";
    public static final String DEFAULT_HEADS_TABLE = "aggregate_heads";
    public static final String DEFAULT_CHECKPOINTS_TABLE = "projection_checkpoints";

    public StoreConfig {
        if (eventsTable == null) {
            throw new IllegalArgumentException("eventsTable must not be null");
        }
        if (headsTable == null) {
            throw new IllegalArgumentException("headsTable must not be null");
        }
        if (eventsTable.equals(headsTable)) {
            throw new IllegalArgumentException("eventsTable and headsTable must differ, both are " + eventsTable);
        }
        if (notifyChannel == null) {
            throw new IllegalArgumentException("notifyChannel must not be null; use Optional.empty() for none");
        }
        if (checkpointsTable == null) {
            throw new IllegalArgumentException("checkpointsTable must not be null");
        }
        if (checkpointsTable.equals(eventsTable) || checkpointsTable.equals(headsTable)) {
            throw new IllegalArgumentException("checkpointsTable must differ from the events and heads tables, was "
                    + checkpointsTable);
        }
        if (queryIndexes == null || containsNull(queryIndexes)) {
            throw new IllegalArgumentException("queryIndexes must not be null or contain null; use an empty set for"
                    + " none");
        }
        queryIndexes = queryIndexes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(queryIndexes));
        notifyChannel.ifPresent(channel -> {
            if (channel.schema() != null) {
                throw new IllegalArgumentException("notifyChannel must not be schema-qualified, was " + channel);
            }
        });
    }

    /** As before query indexes were configurable: every query index. */
    public StoreConfig(SqlName eventsTable, SqlName headsTable, Optional<SqlName> notifyChannel,
                       SqlName checkpointsTable) {
        this(eventsTable, headsTable, notifyChannel, checkpointsTable, EnumSet.allOf(QueryIndex.class));
    }

    /** Tables {@code events} and {@code aggregate_heads}, no notifications, every query index. */
    public static StoreConfig defaults() {
        return new StoreConfig(SqlName.parse(DEFAULT_EVENTS_TABLE), SqlName.parse(DEFAULT_HEADS_TABLE),
                Optional.empty(), SqlName.parse(DEFAULT_CHECKPOINTS_TABLE));
    }

    /** A copy using {@code name} (optionally {@code schema.name}) for the event log. */
    public StoreConfig withEventsTable(String name) {
        return new StoreConfig(SqlName.parse(name), headsTable, notifyChannel, checkpointsTable, queryIndexes);
    }

    /** A copy using {@code name} (optionally {@code schema.name}) for the aggregate heads. */
    public StoreConfig withHeadsTable(String name) {
        return new StoreConfig(eventsTable, SqlName.parse(name), notifyChannel, checkpointsTable, queryIndexes);
    }

    /** A copy that notifies {@code channel} on every append. */
    public StoreConfig withNotifyChannel(String channel) {
        return new StoreConfig(eventsTable, headsTable, Optional.of(SqlName.unqualified(channel)), checkpointsTable,
                queryIndexes);
    }

    /** A copy that sends no notifications. */
    public StoreConfig withoutNotifications() {
        return new StoreConfig(eventsTable, headsTable, Optional.empty(), checkpointsTable, queryIndexes);
    }

    /** A copy using {@code name} (optionally {@code schema.name}) for projection checkpoints. */
    public StoreConfig withCheckpointsTable(String name) {
        return new StoreConfig(eventsTable, headsTable, notifyChannel, SqlName.parse(name), queryIndexes);
    }

    /**
     * A copy whose schema creates only {@code indexes} of the optional query indexes (none when empty). Appends then
     * maintain fewer index entries; queries the left-out indexes served still work, by scanning.
     */
    public StoreConfig withQueryIndexes(Collection<QueryIndex> indexes) {
        if (indexes == null || containsNull(indexes)) {
            throw new IllegalArgumentException("indexes must not be null or contain null; use an empty set for none");
        }
        return new StoreConfig(eventsTable, headsTable, notifyChannel, checkpointsTable, Set.copyOf(indexes));
    }

    /** A copy whose schema creates no query index: the leanest appends, for stores that only append and replay. */
    public StoreConfig withoutQueryIndexes() {
        return withQueryIndexes(Set.of());
    }

    /** Immutable collections throw on {@code contains(null)}, so look at each element. */
    private static boolean containsNull(Collection<?> values) {
        for (Object value : values) {
            if (value == null) {
                return true;
            }
        }
        return false;
    }
}

package dev.eventstore.postgres;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
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
 * @param positionsPerPartition when present, the events table is range-partitioned by {@code global_position}, each
 *                         partition holding this many positions (see {@link #withPartitioning(long)}); empty for
 *                         the default, one unpartitioned table
 */
public record StoreConfig(SqlName eventsTable, SqlName headsTable, Optional<SqlName> notifyChannel,
                          SqlName checkpointsTable, Set<QueryIndex> queryIndexes,
                          OptionalLong positionsPerPartition) {

    public static final String DEFAULT_EVENTS_TABLE = "events";
    public static final String DEFAULT_HEADS_TABLE = "aggregate_heads";
    public static final String DEFAULT_CHECKPOINTS_TABLE = "projection_checkpoints";

    /** PostgreSQL's limit on identifiers; longer names are silently cut, which would break the partitions' names. */
    private static final int MAX_IDENTIFIER = 63;
    /** The longest suffix a partition's index gets: {@code <events>_p<n>_stream_version_key}. */
    private static final String PARTITION_INDEX_SUFFIX = "_stream_version_key";

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
        notifyChannel.ifPresent(channel -> {
            if (channel.schema() != null) {
                throw new IllegalArgumentException("notifyChannel must not be schema-qualified, was " + channel);
            }
        });
        if (queryIndexes == null || containsNull(queryIndexes)) {
            throw new IllegalArgumentException("queryIndexes must not be null or contain null; use an empty set for"
                    + " none");
        }
        queryIndexes = queryIndexes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(queryIndexes));
        if (positionsPerPartition == null) {
            throw new IllegalArgumentException("positionsPerPartition must not be null; use OptionalLong.empty() for"
                    + " an unpartitioned events table");
        }
        if (positionsPerPartition.isPresent()) {
            requirePartitionable(eventsTable, positionsPerPartition.getAsLong());
        }
    }

    /**
     * The unpartitioned layout with every query index: events, heads, notification channel and checkpoints as given.
     */
    public StoreConfig(SqlName eventsTable, SqlName headsTable, Optional<SqlName> notifyChannel,
                       SqlName checkpointsTable) {
        this(eventsTable, headsTable, notifyChannel, checkpointsTable, EnumSet.allOf(QueryIndex.class),
                OptionalLong.empty());
    }

    private static void requirePartitionable(SqlName eventsTable, long positionsPerPartition) {
        if (positionsPerPartition < 1) {
            throw new IllegalArgumentException("positionsPerPartition must be positive, was " + positionsPerPartition
                    + "; for example withPartitioning(10_000_000) for partitions of ten million events");
        }
        int longestNumber = Long.toString(Long.MAX_VALUE / positionsPerPartition).length();
        int longestName = eventsTable.name().length() + "_p".length() + longestNumber + PARTITION_INDEX_SUFFIX.length();
        if (longestName > MAX_IDENTIFIER) {
            int allowed = MAX_IDENTIFIER - "_p".length() - longestNumber - PARTITION_INDEX_SUFFIX.length();
            throw new IllegalArgumentException("eventsTable '" + eventsTable.name() + "' is too long to be partitioned"
                    + " into partitions of " + positionsPerPartition + " positions: the partitions' index names ("
                    + eventsTable.name() + "_p<number>" + PARTITION_INDEX_SUFFIX + ") would pass PostgreSQL's "
                    + MAX_IDENTIFIER + " characters; use an events table name of at most " + allowed
                    + " characters or larger partitions");
        }
    }

    /** Tables {@code events} and {@code aggregate_heads}, no notifications, every query index, unpartitioned. */
    public static StoreConfig defaults() {
        return new StoreConfig(SqlName.parse(DEFAULT_EVENTS_TABLE), SqlName.parse(DEFAULT_HEADS_TABLE),
                Optional.empty(), SqlName.parse(DEFAULT_CHECKPOINTS_TABLE));
    }

    /** A copy using {@code name} (optionally {@code schema.name}) for the event log. */
    public StoreConfig withEventsTable(String name) {
        return new StoreConfig(SqlName.parse(name), headsTable, notifyChannel, checkpointsTable, queryIndexes,
                positionsPerPartition);
    }

    /** A copy using {@code name} (optionally {@code schema.name}) for the aggregate heads. */
    public StoreConfig withHeadsTable(String name) {
        return new StoreConfig(eventsTable, SqlName.parse(name), notifyChannel, checkpointsTable, queryIndexes,
                positionsPerPartition);
    }

    /** A copy that notifies {@code channel} on every append. */
    public StoreConfig withNotifyChannel(String channel) {
        return new StoreConfig(eventsTable, headsTable, Optional.of(SqlName.unqualified(channel)), checkpointsTable,
                queryIndexes, 
                positionsPerPartition);
    }

    /** A copy that sends no notifications. */
    public StoreConfig withoutNotifications() {
        return new StoreConfig(eventsTable, headsTable, Optional.empty(), checkpointsTable, queryIndexes,
                positionsPerPartition);
    }

    /** A copy using {@code name} (optionally {@code schema.name}) for projection checkpoints. */
    public StoreConfig withCheckpointsTable(String name) {
        return new StoreConfig(eventsTable, headsTable, notifyChannel, SqlName.parse(name), queryIndexes,
                positionsPerPartition);
    }

    /**
     * A copy whose events table is range-partitioned by {@code global_position}: partition {@code n} (named
     * {@code <events>_p<n>}) holds positions {@code n * positionsPerPartition} up to, not including,
     * {@code (n + 1) * positionsPerPartition}. The schema then creates the first partitions and a function,
     * {@code <events>_create_partitions(ahead)}, that creates further ones before the log reaches them: schedule it
     * (or {@link PostgresEventStore#createPartitionsAhead}), since an append past the last partition fails. Old
     * partitions are dropped whole by retention. Event-id uniqueness moves to a side table, {@code <events>_event_ids};
     * docs/queries-retention-replay.md describes what else differs.
     *
     * @param positionsPerPartition events per partition, at least 1; millions in production (ten million is a good
     *                              start), since stream reads look into every partition's index
     */
    public StoreConfig withPartitioning(long positionsPerPartition) {
        return new StoreConfig(eventsTable, headsTable, notifyChannel, checkpointsTable, queryIndexes,
                OptionalLong.of(positionsPerPartition));
    }

    /** A copy with the default layout: one unpartitioned events table. */
    public StoreConfig withoutPartitioning() {
        return new StoreConfig(eventsTable, headsTable, notifyChannel, checkpointsTable, queryIndexes,
                OptionalLong.empty());
    }

    /** Whether the events table is range-partitioned by global position ({@link #withPartitioning(long)}). */
    public boolean isPartitioned() {
        return positionsPerPartition.isPresent();
    }

    /**
     * A copy whose schema creates only {@code indexes} of the optional query indexes (none when empty). Appends then
     * maintain fewer index entries; queries the left-out indexes served still work, by scanning.
     */
    public StoreConfig withQueryIndexes(Collection<QueryIndex> indexes) {
        // The constructor refuses null and null elements; a HashSet carries a null element there to be refused.
        return new StoreConfig(eventsTable, headsTable, notifyChannel, checkpointsTable,
                indexes == null ? null : new HashSet<>(indexes), positionsPerPartition);
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

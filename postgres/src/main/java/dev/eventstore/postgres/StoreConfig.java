package dev.eventstore.postgres;

import java.util.Optional;

/**
 * Where the store keeps its tables and whether it announces appends.
 *
 * @param eventsTable      the event log, default {@code events}
 * @param headsTable       one row per aggregate instance with its current version, default {@code aggregate_heads}
 * @param notifyChannel    when present, every append sends {@code pg_notify(channel, aggregateType)} inside its
 *                         transaction, so listeners wake up only after commit; the payload is empty instead when the
 *                         aggregate type is too long for NOTIFY (8,000 bytes or more in PostgreSQL's default build)
 * @param checkpointsTable checkpoints and leases of asynchronous projections, default {@code projection_checkpoints}
 */
public record StoreConfig(SqlName eventsTable, SqlName headsTable, Optional<SqlName> notifyChannel,
                          SqlName checkpointsTable) {

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
        notifyChannel.ifPresent(channel -> {
            if (channel.schema() != null) {
                throw new IllegalArgumentException("notifyChannel must not be schema-qualified, was " + channel);
            }
        });
    }

    /** Tables {@code events} and {@code aggregate_heads}, no notifications. */
    public static StoreConfig defaults() {
        return new StoreConfig(SqlName.parse(DEFAULT_EVENTS_TABLE), SqlName.parse(DEFAULT_HEADS_TABLE),
                Optional.empty(), SqlName.parse(DEFAULT_CHECKPOINTS_TABLE));
    }

    /** A copy using {@code name} (optionally {@code schema.name}) for the event log. */
    public StoreConfig withEventsTable(String name) {
        return new StoreConfig(SqlName.parse(name), headsTable, notifyChannel, checkpointsTable);
    }

    /** A copy using {@code name} (optionally {@code schema.name}) for the aggregate heads. */
    public StoreConfig withHeadsTable(String name) {
        return new StoreConfig(eventsTable, SqlName.parse(name), notifyChannel, checkpointsTable);
    }

    /** A copy that notifies {@code channel} on every append. */
    public StoreConfig withNotifyChannel(String channel) {
        return new StoreConfig(eventsTable, headsTable, Optional.of(SqlName.unqualified(channel)), checkpointsTable);
    }

    /** A copy that sends no notifications. */
    public StoreConfig withoutNotifications() {
        return new StoreConfig(eventsTable, headsTable, Optional.empty(), checkpointsTable);
    }

    /** A copy using {@code name} (optionally {@code schema.name}) for projection checkpoints. */
    public StoreConfig withCheckpointsTable(String name) {
        return new StoreConfig(eventsTable, headsTable, notifyChannel, SqlName.parse(name));
    }
}

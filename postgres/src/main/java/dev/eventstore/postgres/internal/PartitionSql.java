package dev.eventstore.postgres.internal;

import dev.eventstore.postgres.SqlName;
import dev.eventstore.postgres.StoreConfig;

import java.util.regex.Pattern;

/**
 * The SQL of the partitioned layout ({@link StoreConfig#withPartitioning(long)}): the events table range-partitioned
 * by {@code global_position}, the side table that keeps event ids unique across partitions, and the functions that
 * create partitions ahead, drop old ones and forget the ids of dropped events. Built once from validated names.
 *
 * <p>PostgreSQL enforces a unique index on a partitioned table only if it contains the partition key, so two of the
 * plain layout's constraints change:
 * <ul>
 *   <li>{@code UNIQUE (event_id)} moves to {@code <events>_event_ids}, an unpartitioned table of (event id, position)
 *       whose primary key carries the plain layout's constraint name {@code <events>_event_id_key}. Statement-level
 *       triggers on the events table fill it on insert and empty it on delete, so it holds whoever writes and a
 *       duplicate fails exactly as before.</li>
 *   <li>{@code UNIQUE (aggregate_type, aggregate_id, aggregate_version)} becomes one unique index per partition
 *       ({@code <partition>_stream_version_key}). Across partitions the version is kept unique by what already kept it
 *       unique on the plain layout, where the constraint is only a second line: every append bumps the aggregate's
 *       {@code aggregate_heads} row under its row lock, in the statement that writes the events.</li>
 * </ul>
 */
public final class PartitionSql {

    /** Partition number {@code n} holds positions {@code [n * size, (n + 1) * size)}. */
    private static final String PARTITION_INFIX = "_p";

    private final StoreConfig config;
    private final long size;
    private final SqlName events;
    private final SqlName eventIds;
    private final SqlName trackIds;
    private final SqlName createPartitions;
    private final SqlName dropPartitions;
    private final SqlName forgetEventIds;

    /** {@code SELECT <events>_create_partitions(?)}: how many partitions it created. */
    public final String createPartitionsCall;
    /** At most one partition older than the cutoff ({@code ?}), dropped: its name and event count, or no row. */
    final String dropOldestPartitionCall;
    /** Deletes up to {@code ?} ids of dropped events; returns how many. */
    final String forgetEventIdsCall;
    final String eventIdLookup;

    public PartitionSql(StoreConfig config) {
        if (!config.isPartitioned()) {
            throw new IllegalStateException("the events table " + config.eventsTable() + " is not partitioned:"
                    + " configure StoreConfig.withPartitioning(positionsPerPartition) and create the schema with it");
        }
        this.config = config;
        this.size = config.positionsPerPartition().getAsLong();
        this.events = config.eventsTable();
        this.eventIds = sibling("_event_ids");
        this.trackIds = sibling("_track_event_ids");
        this.createPartitions = sibling("_create_partitions");
        this.dropPartitions = sibling("_drop_partitions");
        this.forgetEventIds = sibling("_forget_dropped_ids");
        this.createPartitionsCall = "SELECT " + createPartitions.sql() + "(?)";
        this.dropOldestPartitionCall = "SELECT dropped_partition, dropped_events FROM " + dropPartitions.sql()
                + "(?, 1)";
        this.forgetEventIdsCall = "SELECT " + forgetEventIds.sql() + "(?)";
        this.eventIdLookup = "(SELECT i.global_position FROM " + eventIds.sql() + " AS i WHERE i.event_id = ?)";
    }

    private SqlName sibling(String suffix) {
        return new SqlName(events.schema(), events.derived(suffix));
    }

    /** The name pattern of the per-partition unique index on the stream version, for telling its violations apart. */
    static Pattern streamVersionIndex(SqlName events) {
        return Pattern.compile("\\b" + Pattern.quote(events.name() + PARTITION_INFIX)
                + "[0-9]+_stream_version_key\\b");
    }

    /** The partitioned events table; refuses to run on an events table that exists unpartitioned. */
    String createEventsTable() {
        return """
                -- The event log, range-partitioned by global_position into partitions of %3$d positions each
                -- (%4$s_p<n> holds positions n * %3$d up to, not including, (n + 1) * %3$d), created ahead by
                -- %5$s(ahead). Append-only: rows are inserted by the store and never updated.
                -- payload is BYTEA: stored byte for byte whatever the format; metadata is JSONB for containment queries.
                -- transaction_id records the writing transaction so consumers can read gap-free (see README).
                -- A unique index must contain the partition key, so event ids are kept unique in %6$s and each
                -- partition has its own unique (aggregate_type, aggregate_id, aggregate_version) index.
                DO $layout$
                BEGIN
                    IF EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass('%1$s') AND relkind <> 'p') THEN
                        RAISE EXCEPTION '%1$s exists and is not partitioned: this schema is for a partitioned events'
                            ' table. Keep the unpartitioned layout (StoreConfig without withPartitioning) or move the'
                            ' events into a new partitioned table first (docs/queries-retention-replay.md).';
                    END IF;
                END
                $layout$;
                CREATE TABLE IF NOT EXISTS %1$s (
                    global_position    BIGSERIAL    NOT NULL,
                    aggregate_type     TEXT         NOT NULL,
                    aggregate_id       TEXT         NOT NULL,
                    aggregate_version  BIGINT       NOT NULL CHECK (aggregate_version >= 1),
                    event_id           UUID         NOT NULL,
                    event_type         TEXT         NOT NULL,
                    event_version      INT          NOT NULL CHECK (event_version >= 1),
                    payload            BYTEA        NOT NULL,
                    metadata           JSONB        NOT NULL DEFAULT '{}'::jsonb,
                    trace_id           TEXT         NULL,
                    correlation_id     TEXT         NULL,
                    causation_id       TEXT         NULL,
                    created_at         TIMESTAMPTZ  NOT NULL,
                    transaction_id     XID8         NOT NULL DEFAULT pg_current_xact_id(),
                    topic              TEXT         NULL,
                    PRIMARY KEY (global_position),
                    CONSTRAINT %2$s CHECK (jsonb_typeof(metadata) = 'object')
                ) PARTITION BY RANGE (global_position);
                """.formatted(events.sql(), quote(events.derived("_metadata_is_object")), size, events.name(),
                createPartitions, eventIds);
    }

    /** The event-id table and its triggers, the partition functions, and the first partitions. */
    String createEventIdsAndFunctions() {
        String template = """

                -- Event ids, unique across partitions: one row per stored event, written and deleted by the triggers
                -- below in the statement that writes or deletes the event, so a duplicate id fails the append on
                -- {eventIdKey} as on an unpartitioned table. Dropping a partition leaves its ids behind until
                -- {forget}() deletes them (retention does both).
                CREATE TABLE IF NOT EXISTS {eventIds} (
                    event_id         UUID    NOT NULL,
                    global_position  BIGINT  NOT NULL,
                    CONSTRAINT {eventIdKey} PRIMARY KEY (event_id)
                );
                {positionIndex}
                CREATE OR REPLACE FUNCTION {trackIds}() RETURNS trigger
                LANGUAGE plpgsql AS $track_ids$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO {eventIds} (event_id, global_position)
                        SELECT event_id, global_position FROM written_rows;
                    ELSE
                        DELETE FROM {eventIds} AS i USING deleted_rows AS d WHERE i.event_id = d.event_id;
                    END IF;
                    RETURN NULL;
                END
                $track_ids$;

                DO $triggers$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = '{events}'::regclass
                                    AND tgname = '{eventsName}_ids_on_insert') THEN
                        CREATE TRIGGER "{eventsName}_ids_on_insert" AFTER INSERT ON {events}
                            REFERENCING NEW TABLE AS written_rows FOR EACH STATEMENT EXECUTE FUNCTION {trackIds}();
                    END IF;
                    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = '{events}'::regclass
                                    AND tgname = '{eventsName}_ids_on_delete') THEN
                        CREATE TRIGGER "{eventsName}_ids_on_delete" AFTER DELETE ON {events}
                            REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION {trackIds}();
                    END IF;
                END
                $triggers$;

                -- Creates the partition the next global position falls into and `ahead` partitions after it, those
                -- missing; returns how many it created. Idempotent, and cheap when there is nothing to do: schedule
                -- it (pg_cron, or PostgresEventStore.createPartitionsAhead) often enough that the log never reaches
                -- the last partition, since an append past it fails. A new partition is created apart and attached,
                -- which takes a SHARE UPDATE EXCLUSIVE lock on the events table: appends and reads go on meanwhile.
                CREATE OR REPLACE FUNCTION {createPartitions}(ahead INT DEFAULT 2) RETURNS INT
                LANGUAGE plpgsql AS $create_partitions$
                DECLARE
                    size CONSTANT BIGINT := {size};
                    schema_name TEXT;
                    first_number BIGINT;
                    number BIGINT;
                    partition_name TEXT;
                    upper_bound TEXT;
                    created INT := 0;
                BEGIN
                    IF ahead IS NULL OR ahead < 0 THEN
                        RAISE EXCEPTION 'ahead must be >= 0 (partitions to create after the one the next position'
                            ' falls into), was %', ahead;
                    END IF;
                    PERFORM pg_advisory_xact_lock(hashtextextended('{events} partitions', 0));
                    SELECT n.nspname INTO schema_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.oid = '{events}'::regclass;
                    first_number := (coalesce(pg_sequence_last_value(
                        pg_get_serial_sequence('{events}', 'global_position')::regclass), 0) + 1) / size;
                    number := first_number;
                    WHILE number <= first_number + ahead LOOP
                        partition_name := '{eventsName}_p' || number;
                        IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                        WHERE n.nspname = schema_name AND c.relname = partition_name) THEN
                            upper_bound := CASE WHEN number >= 9223372036854775807 / size THEN 'MAXVALUE'
                                                ELSE ((number + 1) * size)::text END;
                            EXECUTE format('CREATE TABLE %I.%I (LIKE {events} INCLUDING DEFAULTS'
                                           ' INCLUDING CONSTRAINTS)', schema_name, partition_name);
                            EXECUTE format('CREATE UNIQUE INDEX %I ON %I.%I (aggregate_type, aggregate_id,'
                                           ' aggregate_version)', partition_name || '_stream_version_key',
                                           schema_name, partition_name);
                            EXECUTE format('ALTER TABLE {events} ATTACH PARTITION %I.%I FOR VALUES FROM (%s) TO (%s)',
                                           schema_name, partition_name, number * size, upper_bound);
                            created := created + 1;
                        END IF;
                        EXIT WHEN upper_bound = 'MAXVALUE' OR number >= 9223372036854775807 / size;
                        number := number + 1;
                    END LOOP;
                    RETURN created;
                END
                $create_partitions$;

                -- Drops the oldest partitions, up to max_partitions (all when NULL), while every event in them was
                -- created before created_before; a partition the sequence has not passed yet is never dropped.
                -- Returns each dropped partition with its event count. Each drop takes an ACCESS EXCLUSIVE lock on
                -- the events table until the transaction ends: call it with max_partitions 1 in short transactions
                -- with a lock_timeout, then {forget}() to delete the dropped events' ids.
                CREATE OR REPLACE FUNCTION {dropPartitions}(created_before TIMESTAMPTZ, max_partitions INT DEFAULT NULL)
                RETURNS TABLE (dropped_partition TEXT, dropped_events BIGINT)
                LANGUAGE plpgsql AS $drop_partitions$
                DECLARE
                    size CONSTANT BIGINT := {size};
                    last_position BIGINT;
                    candidate RECORD;
                    newest TIMESTAMPTZ;
                    dropped INT := 0;
                BEGIN
                    IF created_before IS NULL THEN
                        RAISE EXCEPTION 'created_before must not be null: partitions whose events were all created'
                            ' before it are dropped';
                    END IF;
                    last_position := coalesce(pg_sequence_last_value(
                        pg_get_serial_sequence('{events}', 'global_position')::regclass), 0);
                    FOR candidate IN
                        SELECT c.oid::regclass AS relation, c.relname::text AS name,
                               substring(c.relname FROM '^{eventsName}_p([0-9]+)$')::bigint AS number
                          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                         WHERE i.inhparent = '{events}'::regclass AND c.relname ~ '^{eventsName}_p[0-9]+$'
                         ORDER BY 3
                    LOOP
                        EXIT WHEN max_partitions IS NOT NULL AND dropped >= max_partitions;
                        EXIT WHEN candidate.number >= 9223372036854775807 / size
                               OR (candidate.number + 1) * size - 1 > last_position;
                        EXECUTE format('SELECT count(*) FROM %s', candidate.relation) INTO dropped_events;
                        -- The events table first, as every writer locks it before a partition: no deadlock, and no
                        -- transaction still writing into the partition once the lock is granted.
                        EXECUTE 'LOCK TABLE {events} IN ACCESS EXCLUSIVE MODE';
                        EXECUTE format('SELECT max(created_at) FROM %s', candidate.relation) INTO newest;
                        EXIT WHEN newest >= created_before;
                        EXECUTE format('DROP TABLE %s', candidate.relation);
                        dropped_partition := candidate.name;
                        dropped := dropped + 1;
                        RETURN NEXT;
                    END LOOP;
                END
                $drop_partitions$;

                -- Deletes up to batch_size ids of events that are gone with a dropped partition (those below the
                -- oldest stored event; deletes remove their ids themselves) and returns how many. Call it until it
                -- returns less than batch_size; until then those ids stay refused, never wrongly accepted.
                CREATE OR REPLACE FUNCTION {forget}(batch_size INT DEFAULT 10000) RETURNS BIGINT
                LANGUAGE sql AS $forget$
                    WITH gone AS (
                        DELETE FROM {eventIds} WHERE event_id IN (
                            SELECT event_id FROM {eventIds}
                             WHERE global_position < coalesce((SELECT min(global_position) FROM {events}),
                                                              9223372036854775807)
                             LIMIT batch_size)
                        RETURNING 1)
                    SELECT count(*) FROM gone
                $forget$;

                -- The partition the next position falls into and two after it.
                SELECT {createPartitions}(2);
                """;
        return template
                .replace("{positionIndex}", GuardedDdl.createIndexIfMissing(eventIds, "_position_idx",
                        "(global_position)"))
                .replace("{eventIds}", eventIds.sql())
                .replace("{eventIdKey}", quote(events.derived("_event_id_key")))
                .replace("{trackIds}", trackIds.sql())
                .replace("{createPartitions}", createPartitions.sql())
                .replace("{dropPartitions}", dropPartitions.sql())
                .replace("{forget}", forgetEventIds.sql())
                .replace("{eventsName}", events.name())
                .replace("{events}", events.sql())
                .replace("{size}", Long.toString(size));
    }

    StoreConfig config() {
        return config;
    }

    private static String quote(String identifier) {
        return '"' + identifier + '"';
    }
}

package dev.eventstore.postgres.internal;

import dev.eventstore.ExpectedVersion;
import dev.eventstore.postgres.QueryIndex;
import dev.eventstore.postgres.SqlName;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.postgres.spi.StoreNotification;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * All SQL of the event-log table family ({@code events} and {@code aggregate_heads}), built once from validated names.
 * Values always travel as bind parameters.
 */
public final class EventLogSql {

    /** The first thirteen columns every read selects, in the order {@link EventRows} maps them. */
    static final String BASE_COLUMNS = "global_position, aggregate_type, aggregate_id, aggregate_version, event_id,"
            + " event_type, event_version, payload, metadata::text, trace_id, correlation_id, causation_id, created_at";

    /** Columns the store's reads select: {@link #BASE_COLUMNS}, then the topic, which {@link EventRows} maps by name. */
    static final String EVENT_COLUMNS = BASE_COLUMNS + ", topic";

    /**
     * Seed of the advisory-lock key hash, so the store's keys are unlikely to meet an application's own advisory locks
     * on the same text. A collision only serialises two appends; it never changes a result.
     */
    static final long LOCK_KEY_SEED = 0x6576656e7473L; // "events"

    /** The query indexes created with the table; the topic's comes with its column ({@link #addTopicColumn()}). */
    private static final List<QueryIndex> QUERY_INDEXES_WITH_TABLE = List.of(QueryIndex.EVENT_TYPE,
            QueryIndex.CREATED_AT, QueryIndex.METADATA);

    private final StoreConfig config;
    private final String eventIdConstraint;
    private final String streamVersionConstraint;
    /** The partitioned layout's SQL, or {@code null} for the plain layout. */
    private final PartitionSql partitions;

    /**
     * Batches of up to this many events bind plain parameters in a {@code VALUES} list (one statement text per size,
     * prepared once per connection); larger ones bind ten arrays.
     */
    static final int MAX_VALUES_ROWS = 32;

    /** How an append of a given size binds its events; the statement and the binding follow the same choice. */
    enum Shape {
        /** One event: plain parameters. */
        ONE,
        /** 2 to {@link #MAX_VALUES_ROWS} events: one {@code VALUES} row of plain parameters per event. */
        ROWS,
        /** More events: ten parallel arrays. */
        ARRAYS;

        static Shape of(int size) {
            return size == 1 ? ONE : size <= MAX_VALUES_ROWS ? ROWS : ARRAYS;
        }
    }

    private final String lockExclusive;
    private final String lockSharedUnlessPast;
    private final String headAny;
    private final String headNoStream;
    private final String headExact;
    /** Statements for batches of 2 to {@link #MAX_VALUES_ROWS} events, built on first use, by kind and size. */
    private final ConcurrentMap<Integer, String> rowsAppends = new ConcurrentHashMap<>();

    final String appendAny;
    final String appendNoStream;
    final String appendExact;
    /** The same three for a single event: scalar parameters instead of arrays, no unnest and no sort. */
    final String appendOneAny;
    final String appendOneNoStream;
    final String appendOneExact;
    final String headState;
    final String readStream;
    final String readAfterPosition;
    final String latestPosition;

    public EventLogSql(StoreConfig config) {
        this.config = config;
        SqlName events = config.eventsTable();
        SqlName heads = config.headsTable();
        this.eventIdConstraint = events.derived("_event_id_key");
        this.streamVersionConstraint = events.derived("_stream_version_key");
        this.partitions = config.isPartitioned() ? new PartitionSql(config) : null;

        // Every append first takes a transaction-scoped advisory lock on its aggregate, in the same round trip as the
        // append statement. Waiting for an advisory lock assigns no transaction id, so a transaction that had written
        // nothing before gets its id only once it holds the lock: ids follow lock order, and the guard below can
        // refuse only a transaction that wrote something earlier (it then holds an id older than a later writer's).
        // any() takes the lock exclusively: it appends whatever the version, so it must come after every writer
        // before it. exact(n) and noStream() share it: among themselves the head row's lock already orders them (a
        // writer whose version check passes on the row it locks gets its id after the row's last writer committed),
        // and waiters that lose the race fail together when the winner commits, instead of one after another.
        this.lockExclusive = "SELECT pg_advisory_xact_lock(hashtextextended(?, " + LOCK_KEY_SEED + ")); ";
        // An exact(n) or noStream() append to an aggregate already past n cannot succeed (versions only grow), so it
        // skips the lock and fails at once instead of queueing behind an any() in flight. Without the lock it
        // writes nothing, so it cannot break the id order the lock protects.
        this.lockSharedUnlessPast = "SELECT pg_advisory_xact_lock_shared(hashtextextended(?, " + LOCK_KEY_SEED
                + ")) WHERE NOT EXISTS (SELECT 1 FROM " + heads.sql() + " WHERE aggregate_type = ?"
                + " AND aggregate_id = ? AND aggregate_version > ?); ";
        String headColumns = "(aggregate_type, aggregate_id, aggregate_version, last_transaction_id, updated_at)";
        // Each head statement locks the head row, checks the expectation and returns the version after the append.
        // The last_transaction_id guard keeps transaction-id order consistent with version order per stream, which
        // gap-aware consumers rely on: an older transaction may not append after a newer one wrote the stream.
        this.headAny = "INSERT INTO " + heads.sql() + " AS h " + headColumns
                + " VALUES (?, ?, ?, pg_current_xact_id(), now())"
                + " ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE"
                + " SET aggregate_version = h.aggregate_version + EXCLUDED.aggregate_version,"
                + " last_transaction_id = EXCLUDED.last_transaction_id, updated_at = EXCLUDED.updated_at"
                + " WHERE h.last_transaction_id <= EXCLUDED.last_transaction_id"
                + " RETURNING h.aggregate_version";
        // NOT EXISTS first: a head already committed refuses at once, where ON CONFLICT alone would wait for an
        // append in flight that holds the row; ON CONFLICT still settles a race between two creators.
        this.headNoStream = "INSERT INTO " + heads.sql() + " AS h " + headColumns
                + " SELECT v.aggregate_type, v.aggregate_id, v.aggregate_version, pg_current_xact_id(), now()"
                + " FROM (VALUES (?, ?, ?::bigint)) AS v (aggregate_type, aggregate_id, aggregate_version)"
                + " WHERE NOT EXISTS (SELECT 1 FROM " + heads.sql() + " AS x"
                + " WHERE x.aggregate_type = v.aggregate_type AND x.aggregate_id = v.aggregate_id)"
                + " ON CONFLICT (aggregate_type, aggregate_id) DO NOTHING"
                + " RETURNING h.aggregate_version";
        this.headExact = "UPDATE " + heads.sql() + " AS h"
                + " SET aggregate_version = h.aggregate_version + ?, last_transaction_id = pg_current_xact_id(),"
                + " updated_at = now()"
                + " WHERE h.aggregate_type = ? AND h.aggregate_id = ? AND h.aggregate_version = ?"
                + " AND h.last_transaction_id <= pg_current_xact_id()"
                + " RETURNING h.aggregate_version";
        this.appendAny = lockExclusive + append(headAny, Shape.ARRAYS, 0);
        this.appendNoStream = lockSharedUnlessPast + append(headNoStream, Shape.ARRAYS, 0);
        this.appendExact = lockSharedUnlessPast + append(headExact, Shape.ARRAYS, 0);
        this.appendOneAny = lockExclusive + append(headAny, Shape.ONE, 1);
        this.appendOneNoStream = lockSharedUnlessPast + append(headNoStream, Shape.ONE, 1);
        this.appendOneExact = lockSharedUnlessPast + append(headExact, Shape.ONE, 1);
        this.headState = "SELECT aggregate_version,"
                + " coalesce(last_transaction_id > pg_current_xact_id_if_assigned(), false) AS newer_writer,"
                + " last_transaction_id::text, pg_current_xact_id_if_assigned()::text"
                + " FROM " + heads.sql() + " WHERE aggregate_type = ? AND aggregate_id = ?";
        this.readStream = "SELECT " + EVENT_COLUMNS + " FROM " + events.sql()
                + " WHERE aggregate_type = ? AND aggregate_id = ? AND aggregate_version BETWEEN ? AND ?"
                + " ORDER BY aggregate_version";
        this.readAfterPosition = "SELECT " + EVENT_COLUMNS + " FROM " + events.sql()
                + " WHERE global_position > ? ORDER BY global_position LIMIT ?";
        this.latestPosition = "SELECT coalesce(max(global_position), 0) FROM " + events.sql();
    }

    /**
     * The append statement for {@code size} events with {@code expected}: plain parameters for one event and for
     * batches up to {@link #MAX_VALUES_ROWS}, arrays beyond.
     */
    String appendStatement(ExpectedVersion expected, int size) {
        switch (Shape.of(size)) {
            case ONE:
                return expected.isAny() ? appendOneAny : expected.isNoStream() ? appendOneNoStream : appendOneExact;
            case ARRAYS:
                return expected.isAny() ? appendAny : expected.isNoStream() ? appendNoStream : appendExact;
            default:
                int kind = expected.isAny() ? 0 : expected.isNoStream() ? 1 : 2;
                return rowsAppends.computeIfAbsent(kind * 1_000 + size, key -> switch (kind) {
                    case 0 -> lockExclusive + append(headAny, Shape.ROWS, size);
                    case 1 -> lockSharedUnlessPast + append(headNoStream, Shape.ROWS, size);
                    default -> lockSharedUnlessPast + append(headExact, Shape.ROWS, size);
                });
        }
    }

    /**
     * One statement per append: the head CTE checks and bumps the version, the insert writes the events, and the
     * optional notification fires only when events were written. A single event, the most common append, and small
     * batches ({@code rows} of them) bind plain parameters, which spares building ten arrays on the client (the
     * driver sends them as text) and unnesting them on the server; a large batch comes as parallel arrays, one round
     * trip and one SQL text whatever its size.
     */
    private String append(String headStatement, Shape shape, int rows) {
        StringBuilder sql = new StringBuilder()
                .append("WITH head AS (").append(headStatement).append("),")
                .append(" appended AS (INSERT INTO ").append(config.eventsTable().sql())
                .append(" (aggregate_type, aggregate_id, aggregate_version, event_id, event_type, event_version,")
                .append(" payload, metadata, trace_id, correlation_id, causation_id, created_at, topic)");
        if (shape == Shape.ONE) {
            sql.append(" SELECT ?, ?, head.aggregate_version, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::timestamptz, ?")
                    .append(" FROM head");
        } else {
            sql.append(" SELECT ?, ?, head.aggregate_version - ? + e.ordinal, e.event_id, e.event_type,")
                    .append(" e.event_version, e.payload, e.metadata::jsonb, e.trace_id, e.correlation_id,")
                    .append(" e.causation_id, e.created_at::timestamptz, e.topic");
        }
        if (shape == Shape.ROWS) {
            sql.append(" FROM head CROSS JOIN (VALUES ");
            for (int row = 1; row <= rows; row++) {
                sql.append(row == 1 ? "" : ", ").append('(').append(row)
                        .append(", ?::uuid, ?::text, ?::int4, ?::bytea, ?::text, ?::text, ?::text, ?::text, ?::text,")
                        .append(" ?::text)");
            }
            sql.append(") AS e(ordinal, event_id, event_type, event_version, payload, metadata, trace_id,")
                    .append(" correlation_id, causation_id, created_at, topic)")
                    .append(" ORDER BY e.ordinal");
        } else if (shape == Shape.ARRAYS) {
            sql.append(" FROM head CROSS JOIN unnest(?::uuid[], ?::text[], ?::int4[], ?::bytea[], ?::text[],")
                    .append(" ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY")
                    .append(" AS e(event_id, event_type, event_version, payload, metadata, trace_id, correlation_id,")
                    .append(" causation_id, created_at, topic, ordinal)")
                    .append(" ORDER BY e.ordinal");
        }
        sql.append(" RETURNING aggregate_version, global_position, metadata::text AS metadata)");
        if (config.notifyChannel().isPresent()) {
            sql.append(", notified AS (SELECT ").append(StoreNotification.PG_NOTIFY)
                    .append(" FROM (SELECT 1 FROM appended LIMIT 1) AS written)")
                    .append(" SELECT a.aggregate_version, a.global_position, a.metadata")
                    .append(" FROM appended AS a CROSS JOIN (SELECT count(*) FROM notified) AS n");
        } else {
            sql.append(" SELECT a.aggregate_version, a.global_position, a.metadata FROM appended AS a");
        }
        return sql.append(" ORDER BY a.aggregate_version").toString();
    }

    /**
     * DDL creating the events and heads tables with their constraints and indexes; safe to run twice, and on tables
     * created by an earlier version it adds what they lack ({@link #addTopicColumn()}).
     */
    public String createTables() {
        SqlName events = config.eventsTable();
        SqlName heads = config.headsTable();
        StringBuilder ddl = new StringBuilder();
        createSchemaIfQualified(ddl, events);
        if (heads.schema() != null && !heads.schema().equals(events.schema())) {
            createSchemaIfQualified(ddl, heads);
        }
        if (partitions != null) {
            ddl.append(partitions.createEventsTable());
            appendSecondaryIndexes(ddl, events);
            appendHeadsTable(ddl, heads);
            ddl.append('\n').append(addTopicColumn());
            ddl.append('\n').append(partitions.createEventIdsAndFunctions());
            return ddl.toString();
        }
        ddl.append("""
                -- The event log. Append-only: rows are inserted by the store and never updated.
                -- payload is BYTEA: stored byte for byte whatever the format; metadata is JSONB for containment queries.
                -- transaction_id records the writing transaction so consumers can read gap-free (see README).
                CREATE TABLE IF NOT EXISTS %1$s (
                    global_position    BIGSERIAL    PRIMARY KEY,
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
                    CONSTRAINT %2$s UNIQUE (event_id),
                    CONSTRAINT %3$s UNIQUE (aggregate_type, aggregate_id, aggregate_version),
                    CONSTRAINT %4$s CHECK (jsonb_typeof(metadata) = 'object')
                );
                """.formatted(
                events.sql(),
                quote(eventIdConstraint),
                quote(streamVersionConstraint),
                quote(events.derived("_metadata_is_object"))));
        appendSecondaryIndexes(ddl, events);
        appendHeadsTable(ddl, heads);
        // The topic column came later: added by the same idempotent statements that upgrade an older table, so the
        // schema is defined once and running this DDL on a store created before topics existed upgrades it.
        ddl.append('\n').append(addTopicColumn());
        return ddl.toString();
    }

    private void appendSecondaryIndexes(StringBuilder ddl, SqlName events) {
        // Indexes and later columns are guarded by a look into the catalog: on a store that has them, running the
        // schema again locks nothing (see GuardedDdl).
        for (QueryIndex index : QUERY_INDEXES_WITH_TABLE) {
            if (config.queryIndexes().contains(index)) {
                ddl.append(GuardedDdl.createIndexIfMissing(events, index.suffix(), index.definition()));
            }
        }
        // Gap-aware consumers read in (transaction_id, global_position) order: this index is not optional.
        ddl.append(GuardedDdl.createIndexIfMissing(events, "_transaction_idx", "(transaction_id, global_position)"));
    }

    private static void appendHeadsTable(StringBuilder ddl, SqlName heads) {
        ddl.append("""

                -- One row per aggregate instance: its current version, checked and bumped by every append.
                CREATE TABLE IF NOT EXISTS %1$s (
                    aggregate_type       TEXT         NOT NULL,
                    aggregate_id         TEXT         NOT NULL,
                    aggregate_version    BIGINT       NOT NULL CHECK (aggregate_version >= 1),
                    last_transaction_id  XID8         NOT NULL DEFAULT pg_current_xact_id(),
                    updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
                    PRIMARY KEY (aggregate_type, aggregate_id)
                );
                """.formatted(heads.sql()));
    }

    /**
     * DDL bringing an events table created before topics existed up to date: adds the nullable {@code topic} column
     * and its index. Idempotent, so it also runs on a table that has them already; rows stored before keep no topic.
     * Adding a nullable column without a default rewrites no rows, so it is quick on a large table, but it takes a
     * short exclusive lock, and the plain {@code CREATE INDEX} blocks writes while it builds; on a table that has
     * both, nothing is locked.
     */
    public String addTopicColumn() {
        SqlName events = config.eventsTable();
        return """
                -- Topics: an optional dotted topic per event (for example order.lifecycle.placed), filtered by topic
                -- patterns and used as routing key by message bus publishers. Events stored before have none.
                """ + GuardedDdl.addColumnIfMissing(events, "topic", "TEXT NULL")
                + (config.queryIndexes().contains(QueryIndex.TOPIC)
                ? GuardedDdl.createIndexIfMissing(events, QueryIndex.TOPIC.suffix(), QueryIndex.TOPIC.definition())
                : "");
    }

    private static void createSchemaIfQualified(StringBuilder ddl, SqlName table) {
        table.schemaName().ifPresent(schema -> ddl.append("CREATE SCHEMA IF NOT EXISTS ").append(quote(schema))
                .append(";\n\n"));
    }

    private static String quote(String identifier) {
        return '"' + identifier + '"';
    }

    /**
     * The text whose hash keys an aggregate's advisory lock: the type's length keeps ("ab", "c") and ("a", "bc")
     * apart.
     */
    static String lockKey(String aggregateType, String aggregateId) {
        return aggregateType.length() + ":" + aggregateType + aggregateId;
    }

    StoreConfig config() {
        return config;
    }

    String eventIdConstraint() {
        return eventIdConstraint;
    }

    String streamVersionConstraint() {
        return streamVersionConstraint;
    }

    /** The partitioned layout's SQL; empty for the plain layout. */
    public Optional<PartitionSql> partitions() {
        return Optional.ofNullable(partitions);
    }
}

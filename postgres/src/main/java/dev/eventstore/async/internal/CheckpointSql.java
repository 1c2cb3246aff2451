package dev.eventstore.async.internal;

import dev.eventstore.postgres.SqlName;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.postgres.internal.EventRowMapper;
import dev.eventstore.postgres.internal.GuardedDdl;

/**
 * All SQL of the asynchronous-projection family: the checkpoint-and-lease table, the node heartbeats beside it and
 * the gap-aware read of the event log. Built once from validated names; values always travel as bind parameters.
 *
 * <p>The checkpoint is the pair (transaction id, global position) of the last event handled, one per segment of a
 * projection. The read returns only events written by transactions older than the oldest one still running
 * ({@code pg_snapshot_xmin}), ordered by that same pair, so no event can ever appear below a checkpoint after it was
 * taken. A segmented read adds a filter on {@link #SEGMENT_HASH}, so each segment reads only its own aggregates.
 */
public final class CheckpointSql {

    /**
     * The segment hash of an event row: the first 32 bits of SHA-256 over the UTF-8 bytes of
     * {@code aggregate_type || '/' || aggregate_id}, unsigned. SHA-256 and {@code convert_to} are defined by
     * standards, not by PostgreSQL's internals, so the value is the same on every PostgreSQL version, encoding
     * and platform (and {@link SegmentHash} computes the same in Java); unlike {@code md5()} it also works on
     * servers in FIPS mode. A segment is this value modulo the segment count.
     */
    static final String SEGMENT_HASH = "('x' || encode(substr(sha256(convert_to(aggregate_type || '/' || aggregate_id,"
            + " 'UTF8')), 1, 4), 'hex'))::bit(32)::bigint";

    /**
     * The segment filter, {@code hash % count = segment}, wrapped in a CASE: the planner guesses 0.5% for an equality
     * on an expression it has no statistics for, and then prefers reading the whole table and sorting it over the
     * index walk in (transaction id, position) order; for a CASE it guesses half, and keeps the index walk.
     */
    static final String SEGMENT_FILTER = "CASE WHEN " + SEGMENT_HASH + " % ? = ? THEN true ELSE false END";

    private final StoreConfig config;
    private final String nodes;

    final String ensure;
    final String segmentRows;
    final String heartbeat;
    final String forgetNode;
    final String acquireLease;
    final String claimLease;
    final String releaseLease;
    final String lockForBatch;
    final String lockForRebuild;
    final String deleteProjection;
    final String insertSegments;
    final String advance;
    final String recordFailure;
    final String setStatus;
    final String setSegmentStatus;
    final String resume;
    final String resumeSegment;
    final String select;
    final String lag;
    final String segmentLag;
    final String horizon;

    public CheckpointSql(StoreConfig config) {
        this.config = config;
        String checkpoints = config.checkpointsTable().sql();
        this.nodes = nodesTable(config.checkpointsTable()).sql();
        String events = config.eventsTable().sql();
        String leaseUntil = "now() + ? * interval '1 millisecond'";
        this.insertSegments = "INSERT INTO " + checkpoints + " (projection_name, segment, segment_count)"
                + " SELECT ?, s, ? FROM generate_series(0, ? - 1) AS s ON CONFLICT DO NOTHING";
        this.ensure = "INSERT INTO " + checkpoints + " (projection_name, segment, segment_count)"
                + " SELECT ?, s, ? FROM generate_series(0, ? - 1) AS s WHERE NOT EXISTS (SELECT 1 FROM "
                + checkpoints + " WHERE projection_name = ?) ON CONFLICT DO NOTHING";
        // Every segment's lease as this node sees it now, and every node alive for the projection: what a claim or
        // release decides on.
        this.segmentRows = "SELECT segment, segment_count, CASE WHEN lease_until > now() THEN lease_owner END FROM "
                + checkpoints + " WHERE projection_name = ? ORDER BY segment";
        // The delete spares this node's own row: one statement must not both delete and upsert the same row.
        this.heartbeat = "WITH gone AS (DELETE FROM " + nodes + " WHERE projection_name = ? AND node <> ?"
                + " AND alive_until < now()),"
                + " me AS (INSERT INTO " + nodes + " (projection_name, node, alive_until) VALUES (?, ?, "
                + leaseUntil + ") ON CONFLICT (projection_name, node) DO UPDATE SET alive_until = EXCLUDED.alive_until)"
                + " SELECT node FROM " + nodes + " WHERE projection_name = ? AND alive_until > now()";
        this.forgetNode = "DELETE FROM " + nodes + " WHERE projection_name = ? AND node = ?";
        this.acquireLease = "UPDATE " + checkpoints + " SET lease_owner = ?, lease_until = " + leaseUntil
                + ", updated_at = now() WHERE projection_name = ? AND segment = ? AND (lease_owner IS NULL"
                + " OR lease_owner = ? OR lease_until < now()) RETURNING status";
        this.claimLease = "UPDATE " + checkpoints + " SET lease_owner = ?, lease_until = " + leaseUntil
                + ", updated_at = now() WHERE projection_name = ? AND segment = ? AND (lease_owner IS NULL"
                + " OR lease_until < now())";
        this.releaseLease = "UPDATE " + checkpoints + " SET lease_owner = NULL, lease_until = NULL, updated_at = now()"
                + " WHERE projection_name = ? AND segment = ? AND lease_owner = ?";
        this.lockForBatch = "SELECT last_transaction_id::text, last_position, status, lease_owner = ? AND lease_until"
                + " > now(), segment_count FROM " + checkpoints + " WHERE projection_name = ? AND segment = ?"
                + " FOR UPDATE";
        this.lockForRebuild = "SELECT segment FROM " + checkpoints + " WHERE projection_name = ? ORDER BY segment"
                + " FOR UPDATE";
        this.deleteProjection = "DELETE FROM " + checkpoints + " WHERE projection_name = ?";
        this.advance = "UPDATE " + checkpoints + " SET last_transaction_id = ?::xid8, last_position = ?,"
                + " failure_count = 0, last_error = NULL, failed_position = NULL, lease_until = " + leaseUntil
                + ", updated_at = now() WHERE projection_name = ? AND segment = ?";
        this.recordFailure = "UPDATE " + checkpoints + " SET failure_count = failure_count + 1, last_error = ?,"
                + " failed_position = ?, status = CASE WHEN failure_count + 1 >= ? THEN 'PARKED' ELSE status END,"
                + " updated_at = now() WHERE projection_name = ? AND segment = ? RETURNING status, failure_count";
        this.setStatus = "UPDATE " + checkpoints + " SET status = ?, updated_at = now() WHERE projection_name = ?";
        this.setSegmentStatus = setStatus + " AND segment = ?";
        this.resume = "UPDATE " + checkpoints + " SET status = 'RUNNING', failure_count = 0, updated_at = now()"
                + " WHERE projection_name = ?";
        this.resumeSegment = resume + " AND segment = ?";
        this.select = "SELECT segment, segment_count, last_transaction_id::text, last_position, status, failure_count,"
                + " last_error, failed_position, lease_owner, lease_until, updated_at FROM " + checkpoints
                + " WHERE projection_name = ? ORDER BY segment";
        String lagSql = "SELECT count(*), min(created_at),"
                + " count(*) FILTER (WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot()))"
                + " FROM " + events + " WHERE (transaction_id, global_position) > (?::xid8, ?)"
                + " AND (cardinality(?::text[]) = 0 OR aggregate_type = ANY(?::text[]))";
        this.lag = lagSql;
        this.segmentLag = lagSql + " AND " + SEGMENT_FILTER;
        this.horizon = "SELECT a.pid, a.state, extract(epoch FROM now() - a.xact_start) * 1000,"
                + " (SELECT count(*) FROM pg_prepared_xacts),"
                + " (SELECT extract(epoch FROM now() - min(prepared)) * 1000 FROM pg_prepared_xacts)"
                + " FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT pid, state, xact_start FROM pg_stat_activity"
                + " WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() ORDER BY xact_start LIMIT 1) AS a"
                + " ON true";
    }

    /** The node heartbeat table: the checkpoints table's name with {@code _nodes}, in the same schema. */
    static SqlName nodesTable(SqlName checkpoints) {
        return new SqlName(checkpoints.schemaName().orElse(null), checkpoints.derived("_nodes"));
    }

    /** Events after the checkpoint pair, below the horizon, in (transaction id, position) order. */
    public String readBatch(boolean filtered) {
        return readBatch(filtered, false);
    }

    /**
     * As {@link #readBatch(boolean)}; {@code segmented} adds {@link #SEGMENT_FILTER} (segment count, segment) after
     * the type filter. One segment reads exactly as an unsegmented projection.
     */
    public String readBatch(boolean filtered, boolean segmented) {
        return "SELECT " + EventRowMapper.COLUMNS + " FROM "
                + config.eventsTable().sql()
                + " WHERE (transaction_id, global_position) > (?::xid8, ?)"
                + " AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())"
                + (filtered ? " AND aggregate_type = ANY(?::text[])" : "")
                + (segmented ? " AND " + SEGMENT_FILTER : "")
                + " ORDER BY transaction_id, global_position LIMIT ?";
    }

    /** DDL of the checkpoint and node tables; safe to run twice, and upgrades a checkpoint table without segments. */
    public String createTables() {
        SqlName table = config.checkpointsTable();
        SqlName nodeTable = nodesTable(table);
        StringBuilder ddl = new StringBuilder();
        table.schemaName().ifPresent(schema -> ddl.append("CREATE SCHEMA IF NOT EXISTS \"").append(schema)
                .append("\";\n\n"));
        return ddl.append("""
                -- Asynchronous projections: one row per segment of a projection (one segment, number 0, unless it
                -- declares more) with its gap-safe checkpoint, the pair (transaction id, global position) of the
                -- last event handled, its state and its lease. segment_count is the count the rows were made for.
                CREATE TABLE IF NOT EXISTS %1$s (
                    projection_name      TEXT         NOT NULL,
                    segment              INT          NOT NULL DEFAULT 0 CHECK (segment >= 0),
                    segment_count        INT          NOT NULL DEFAULT 1 CHECK (segment_count >= 1),
                    last_transaction_id  XID8         NOT NULL DEFAULT '0',
                    last_position        BIGINT       NOT NULL DEFAULT 0,
                    status               TEXT         NOT NULL DEFAULT 'RUNNING'
                                                      CHECK (status IN ('RUNNING', 'PAUSED', 'PARKED')),
                    failure_count        INT          NOT NULL DEFAULT 0,
                    last_error           TEXT         NULL,
                    failed_position      BIGINT       NULL,
                    lease_owner          TEXT         NULL,
                    lease_until          TIMESTAMPTZ  NULL,
                    updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
                    PRIMARY KEY (projection_name, segment)
                );

                -- Upgrade of a checkpoint table made before segments: each existing row becomes segment 0 of 1,
                -- which reads exactly as before, and the key becomes (projection_name, segment).
                %3$s%4$s                DO $upgrade$
                DECLARE
                    old_key TEXT;
                BEGIN
                    SELECT c.conname INTO old_key FROM pg_constraint c
                     WHERE c.conrelid = '%1$s'::regclass AND c.contype = 'p' AND array_length(c.conkey, 1) = 1;
                    IF old_key IS NOT NULL THEN
                        EXECUTE format('ALTER TABLE %%s DROP CONSTRAINT %%I', '%1$s', old_key);
                        ALTER TABLE %1$s ADD PRIMARY KEY (projection_name, segment);
                    END IF;
                END
                $upgrade$;

                -- Nodes running segmented projections, each renewing its row as long as it lives: how many share
                -- the segments. An expired row is a dead node; the first live one to look removes it.
                CREATE TABLE IF NOT EXISTS %2$s (
                    projection_name      TEXT         NOT NULL,
                    node                 TEXT         NOT NULL,
                    alive_until          TIMESTAMPTZ  NOT NULL,
                    PRIMARY KEY (projection_name, node)
                );
                """.formatted(table.sql(), nodeTable.sql(),
                GuardedDdl.addColumnIfMissing(table, "segment", "INT NOT NULL DEFAULT 0 CHECK (segment >= 0)"),
                GuardedDdl.addColumnIfMissing(table, "segment_count",
                        "INT NOT NULL DEFAULT 1 CHECK (segment_count >= 1)"))).toString();
    }
}

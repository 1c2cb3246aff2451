package dev.eventstore.async.internal;

import dev.eventstore.postgres.SqlName;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.postgres.internal.EventRowMapper;

/**
 * All SQL of the asynchronous-projection family: the checkpoint-and-lease table and the gap-aware read of the event
 * log. Built once from validated names; values always travel as bind parameters.
 *
 * <p>The checkpoint is the pair (transaction id, global position) of the last event handled. The read returns only
 * events written by transactions older than the oldest one still running ({@code pg_snapshot_xmin}), ordered by that
 * same pair, so no event can ever appear below a checkpoint after it was taken.
 */
public final class CheckpointSql {

    private final StoreConfig config;

    final String ensure;
    final String acquireLease;
    final String releaseLease;
    final String lockForBatch;
    final String lockForRebuild;
    final String advance;
    final String recordFailure;
    final String setStatus;
    final String resume;
    final String reset;
    final String select;
    final String lag;
    final String horizon;

    public CheckpointSql(StoreConfig config) {
        this.config = config;
        String checkpoints = config.checkpointsTable().sql();
        String events = config.eventsTable().sql();
        this.ensure = "INSERT INTO " + checkpoints + " (projection_name) VALUES (?) ON CONFLICT DO NOTHING";
        this.acquireLease = "UPDATE " + checkpoints + " SET lease_owner = ?, lease_until = now() + ? * interval '1"
                + " millisecond', updated_at = now() WHERE projection_name = ? AND (lease_owner IS NULL OR lease_owner"
                + " = ? OR lease_until < now()) RETURNING status";
        this.releaseLease = "UPDATE " + checkpoints + " SET lease_owner = NULL, lease_until = NULL, updated_at = now()"
                + " WHERE projection_name = ? AND lease_owner = ?";
        this.lockForBatch = "SELECT last_transaction_id::text, last_position, status, lease_owner = ? AND lease_until"
                + " > now() FROM " + checkpoints + " WHERE projection_name = ? FOR UPDATE";
        this.lockForRebuild = "SELECT projection_name FROM " + checkpoints + " WHERE projection_name = ? FOR UPDATE";
        this.advance = "UPDATE " + checkpoints + " SET last_transaction_id = ?::xid8, last_position = ?,"
                + " failure_count = 0, last_error = NULL, failed_position = NULL, lease_until = now() + ? * interval"
                + " '1 millisecond', updated_at = now() WHERE projection_name = ?";
        this.recordFailure = "UPDATE " + checkpoints + " SET failure_count = failure_count + 1, last_error = ?,"
                + " failed_position = ?, status = CASE WHEN failure_count + 1 >= ? THEN 'PARKED' ELSE status END,"
                + " updated_at = now() WHERE projection_name = ? RETURNING status, failure_count";
        this.setStatus = "UPDATE " + checkpoints + " SET status = ?, updated_at = now() WHERE projection_name = ?";
        this.resume = "UPDATE " + checkpoints + " SET status = 'RUNNING', failure_count = 0, updated_at = now()"
                + " WHERE projection_name = ?";
        this.reset = "UPDATE " + checkpoints + " SET last_transaction_id = '0', last_position = 0, failure_count = 0,"
                + " last_error = NULL, failed_position = NULL, status = 'RUNNING', updated_at = now()"
                + " WHERE projection_name = ?";
        this.select = "SELECT last_transaction_id::text, last_position, status, failure_count, last_error,"
                + " failed_position, lease_owner, lease_until, updated_at FROM " + checkpoints
                + " WHERE projection_name = ?";
        this.lag = "SELECT count(*), min(created_at),"
                + " count(*) FILTER (WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot()))"
                + " FROM " + events + " WHERE (transaction_id, global_position) > (?::xid8, ?)"
                + " AND (cardinality(?::text[]) = 0 OR aggregate_type = ANY(?::text[]))";
        this.horizon = "SELECT a.pid, a.state, extract(epoch FROM now() - a.xact_start) * 1000,"
                + " (SELECT count(*) FROM pg_prepared_xacts),"
                + " (SELECT extract(epoch FROM now() - min(prepared)) * 1000 FROM pg_prepared_xacts)"
                + " FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT pid, state, xact_start FROM pg_stat_activity"
                + " WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() ORDER BY xact_start LIMIT 1) AS a"
                + " ON true";
    }

    /** Events after the checkpoint pair, below the horizon, in (transaction id, position) order. */
    public String readBatch(boolean filtered) {
        // The text copy of the transaction id needs its own name: an output column called transaction_id would be
        // what ORDER BY transaction_id sorts by, as text, where "1000000" < "999999".
        return "SELECT " + EventRowMapper.COLUMNS + ", transaction_id::text AS writer_transaction_id FROM "
                + config.eventsTable().sql()
                + " WHERE (transaction_id, global_position) > (?::xid8, ?)"
                + " AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())"
                + (filtered ? " AND aggregate_type = ANY(?::text[])" : "")
                + " ORDER BY transaction_id, global_position LIMIT ?";
    }

    /** DDL of the checkpoint table; safe to run twice. */
    public String createTables() {
        SqlName table = config.checkpointsTable();
        StringBuilder ddl = new StringBuilder();
        table.schemaName().ifPresent(schema -> ddl.append("CREATE SCHEMA IF NOT EXISTS \"").append(schema)
                .append("\";\n\n"));
        return ddl.append("""
                -- Asynchronous projections: one row per projection with its gap-safe checkpoint, the pair
                -- (transaction id, global position) of the last event handled, its state and its lease.
                CREATE TABLE IF NOT EXISTS %1$s (
                    projection_name      TEXT         PRIMARY KEY,
                    last_transaction_id  XID8         NOT NULL DEFAULT '0',
                    last_position        BIGINT       NOT NULL DEFAULT 0,
                    status               TEXT         NOT NULL DEFAULT 'RUNNING'
                                                      CHECK (status IN ('RUNNING', 'PAUSED', 'PARKED')),
                    failure_count        INT          NOT NULL DEFAULT 0,
                    last_error           TEXT         NULL,
                    failed_position      BIGINT       NULL,
                    lease_owner          TEXT         NULL,
                    lease_until          TIMESTAMPTZ  NULL,
                    updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now()
                );
                """.formatted(table.sql())).toString();
    }
}

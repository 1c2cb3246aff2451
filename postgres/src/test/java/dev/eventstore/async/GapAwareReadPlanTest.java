package dev.eventstore.async;

import dev.eventstore.async.internal.CheckpointSql;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gap-aware read must come out in numeric (transaction id, position) order straight from the index. A sort in
 * the plan once meant it was ordering by the transaction id's text, where "1000000" sorts before "999999", which
 * would have let a checkpoint jump over older transactions' events.
 */
class GapAwareReadPlanTest {

    @Test
    void theBatchReadIsServedInIndexOrderWithoutAnySort() throws Exception {
        try (TestSchema schema = TestDatabase.get().createSchema(StoreConfig.defaults());
             Connection connection = schema.connect()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO events (aggregate_type, aggregate_id, aggregate_version, event_id,"
                        + " event_type, event_version, payload, metadata, created_at)"
                        + " SELECT 'Order', 'o-' || n, 1, gen_random_uuid(), 'Placed', 1, '\\\\x00', '{}', now()"
                        + " FROM generate_series(1, 20000) AS n");
                statement.execute("ANALYZE events");
            }
            String read = new CheckpointSql(StoreConfig.defaults()).readBatch(false);
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + read)) {
                explain.setString(1, "0");
                explain.setLong(2, 0);
                explain.setInt(3, 500);
                try (ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
            }
            assertThat(plan.toString()).contains("events_transaction_idx").doesNotContain("Sort");

            // A segment's read: the same index order, the segment hash a filter on the way, no sort.
            String segmentRead = new CheckpointSql(StoreConfig.defaults()).readBatch(false, true);
            StringBuilder segmentPlan = new StringBuilder();
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + segmentRead)) {
                explain.setString(1, "0");
                explain.setLong(2, 0);
                explain.setInt(3, 4);
                explain.setInt(4, 1);
                explain.setInt(5, 500);
                try (ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) {
                        segmentPlan.append(rows.getString(1)).append('\n');
                    }
                }
            }
            assertThat(segmentPlan.toString()).contains("events_transaction_idx", "sha256").doesNotContain("Sort");
        }
    }
}

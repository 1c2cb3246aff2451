package dev.eventstore.async.internal;

import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentHashTest {

    @Test
    void theDatabaseAndJavaPutEveryAggregateIntoTheSameSegment() throws SQLException {
        List<String[]> aggregates = new ArrayList<>();
        aggregates.add(new String[] {"Order", "o-1"});
        aggregates.add(new String[] {"Kunde", "müller@example.com"});
        aggregates.add(new String[] {"注文", "東京-1"});
        aggregates.add(new String[] {"Emoji", "\uD83D\uDE00"});
        aggregates.add(new String[] {"", ""});
        for (int i = 0; i < 300; i++) {
            aggregates.add(new String[] {"Type" + (i % 7), UUID.randomUUID().toString()});
        }
        try (TestSchema schema = TestDatabase.get().createEmptySchema(); Connection connection = schema.connect()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE hashed (aggregate_type TEXT, aggregate_id TEXT)");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO hashed VALUES (?, ?)")) {
                for (String[] aggregate : aggregates) {
                    insert.setString(1, aggregate[0]);
                    insert.setString(2, aggregate[1]);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT aggregate_type, aggregate_id, "
                    + CheckpointSql.SEGMENT_HASH + ", " + CheckpointSql.SEGMENT_HASH + " % 7 FROM hashed");
                 ResultSet rows = select.executeQuery()) {
                int count = 0;
                while (rows.next()) {
                    String type = rows.getString(1);
                    String id = rows.getString(2);
                    assertThat(rows.getLong(3)).as(type + "/" + id).isEqualTo(SegmentHash.hash(type, id));
                    assertThat(rows.getInt(4)).as(type + "/" + id).isEqualTo(SegmentHash.segmentOf(type, id, 7));
                    count++;
                }
                assertThat(count).isEqualTo(aggregates.size());
            }
        }
    }

    @Test
    void theHashIsFixedBySha256NotByTheJvmOrTheServer() {
        // The first four bytes of SHA-256("Order/o-1"): a change here would move aggregates between segments.
        assertThat(SegmentHash.hash("Order", "o-1")).isEqualTo(0x8f47fc93L);
        assertThat(SegmentHash.segmentOf("Order", "o-1", 4)).isEqualTo((int) (0x8f47fc93L % 4));
        assertThatThrownBy(() -> SegmentHash.segmentOf("Order", "o-1", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segments must be >= 1");
    }
}

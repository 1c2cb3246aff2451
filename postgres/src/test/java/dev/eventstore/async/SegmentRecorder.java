package dev.eventstore.async;

import dev.eventstore.PersistedEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The read model of the segment tests: one row per event handled, in the batch's transaction, with the node that
 * handled it. A version that is not the aggregate's last plus one (a gap, a repeat, an inversion) is written to
 * {@code segment_violations} instead of failing the batch, so the test can show it rather than time out.
 */
final class SegmentRecorder implements AsyncProjectionHandler {

    static final String TABLES = "CREATE TABLE IF NOT EXISTS segment_seen (projection TEXT, event_id UUID,"
            + " aggregate_type TEXT, aggregate_id TEXT, version BIGINT, node TEXT);"
            + " CREATE INDEX IF NOT EXISTS segment_seen_stream ON segment_seen (projection, aggregate_type,"
            + " aggregate_id, version);"
            + " CREATE TABLE IF NOT EXISTS segment_violations (projection TEXT, event_id UUID, what TEXT)";

    private final String projection;
    private final String node;
    private final long delayNanosPerEvent;

    SegmentRecorder(String projection, String node) {
        this(projection, node, 0);
    }

    /** With a wait per event, to simulate a handler that waits on remote I/O. */
    SegmentRecorder(String projection, String node, long delayNanosPerEvent) {
        this.projection = projection;
        this.node = node;
        this.delayNanosPerEvent = delayNanosPerEvent;
    }

    static void createTables(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(TABLES);
        }
    }

    @Override
    public void handle(Connection connection, java.util.List<PersistedEvent> events) throws SQLException {
        try (PreparedStatement last = connection.prepareStatement("SELECT max(version) FROM segment_seen"
                + " WHERE projection = ? AND aggregate_type = ? AND aggregate_id = ?");
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO segment_seen VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement violation = connection.prepareStatement(
                     "INSERT INTO segment_violations VALUES (?, ?, ?)")) {
            for (PersistedEvent event : events) {
                if (delayNanosPerEvent > 0) {
                    pause(delayNanosPerEvent);
                }
                last.setString(1, projection);
                last.setString(2, event.aggregateType());
                last.setString(3, event.aggregateId());
                long previous;
                try (ResultSet row = last.executeQuery()) {
                    row.next();
                    previous = row.getLong(1);
                }
                if (event.aggregateVersion() != previous + 1) {
                    violation.setString(1, projection);
                    violation.setObject(2, event.eventId());
                    violation.setString(3, event.aggregateType() + "/" + event.aggregateId() + " v"
                            + event.aggregateVersion() + " after v" + previous + " on " + node);
                    violation.executeUpdate();
                }
                insert.setString(1, projection);
                insert.setObject(2, event.eventId());
                insert.setString(3, event.aggregateType());
                insert.setString(4, event.aggregateId());
                insert.setLong(5, event.aggregateVersion());
                insert.setString(6, node);
                insert.executeUpdate();
            }
        }
    }

    private static void pause(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void reset(Connection connection) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM segment_seen WHERE projection = ?")) {
            delete.setString(1, projection);
            delete.executeUpdate();
        }
    }
}

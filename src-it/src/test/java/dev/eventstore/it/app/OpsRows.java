package dev.eventstore.it.app;

import dev.eventstore.PersistedEvent;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

/** Writes one row per handled event, refusing events of type Poison while the switch says so. */
public final class OpsRows {

    private OpsRows() {
    }

    public static void handle(DataSource dataSource, String projection, PersistedEvent event) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (event.eventType().equals("Poison") && refuses(connection, projection)) {
                throw new IllegalStateException("poison refused on purpose");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ops_rows (projection, event_id,"
                    + " event_type, created_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, projection);
                insert.setObject(2, event.eventId());
                insert.setString(3, event.eventType());
                insert.setTimestamp(4, Timestamp.from(event.createdAt()));
                insert.executeUpdate();
            }
        }
    }

    private static boolean refuses(Connection connection, String projection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT refuse FROM ops_switch WHERE name = ?")) {
            query.setString(1, projection);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }
}

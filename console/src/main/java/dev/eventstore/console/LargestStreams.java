package dev.eventstore.console;

import dev.eventstore.EventStoreException;
import dev.eventstore.postgres.SqlName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The longest streams, from the store's heads table (one row per aggregate with its current version): the store's
 * query API answers about events, not about streams. A read of the whole heads table, sorted; fine for a console that
 * asks once per page view, and the one place the console reads a table by name.
 */
public final class LargestStreams {

    private final String sql;

    LargestStreams(SqlName headsTable) {
        this.sql = "SELECT aggregate_type, aggregate_id, aggregate_version FROM " + headsTable.sql()
                + " ORDER BY aggregate_version DESC, aggregate_type, aggregate_id LIMIT ?";
    }

    /** One stream and its version, which is its length unless retention deleted its oldest events. */
    public record StreamSize(String aggregateType, String aggregateId, long version) {
    }

    List<StreamSize> top(Connection connection, int limit) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, limit);
            List<StreamSize> streams = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    streams.add(new StreamSize(rows.getString(1), rows.getString(2), rows.getLong(3)));
                }
            }
            return streams;
        } catch (SQLException e) {
            throw new EventStoreException("Could not read the largest streams (" + sql + "): " + e.getMessage(), e);
        }
    }
}

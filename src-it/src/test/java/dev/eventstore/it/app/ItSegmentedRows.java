package dev.eventstore.it.app;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The read model of {@link ItSegmentedProjection}: no key on the event id, so a duplicate would show as a second row,
 * and a sequence that records the order rows were written in.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ItSegmentedRows {

    /** One handled event, in the order the projection handled it. */
    public record Handled(UUID eventId, String aggregateId, long version) {
    }

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @PostConstruct
    void create() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS it_segmented_rows (seq BIGSERIAL PRIMARY KEY,"
                    + " event_id UUID NOT NULL, aggregate_id TEXT NOT NULL, aggregate_version BIGINT NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of the aggregates whose id starts with {@code prefix}, in the order they were written. */
    public List<Handled> handled(String prefix) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT event_id, aggregate_id, aggregate_version FROM it_segmented_rows"
                        + " WHERE starts_with(aggregate_id, ?) ORDER BY seq")) {
            query.setString(1, prefix);
            List<Handled> handled = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    handled.add(new Handled(rows.getObject(1, UUID.class), rows.getString(2), rows.getLong(3)));
                }
            }
            return handled;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

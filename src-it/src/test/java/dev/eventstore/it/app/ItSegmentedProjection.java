package dev.eventstore.it.app;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A segmented ASYNC projection: it declares two segments, the deployment's configuration raises them to four
 * ({@code eventstore.projection.it-segmented.segments}). Each handled event is one row, written through the JTA
 * datasource in the segment's batch transaction, in the order handled.
 */
@ApplicationScoped
@Projection(name = ItSegmentedProjection.NAME, aggregateTypes = "ItSegmented", mode = ProjectionMode.ASYNC,
        segments = 2)
public class ItSegmentedProjection {

    public static final String NAME = "it-segmented";

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @EventHandler
    public void on(PersistedEvent event) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO it_segmented_rows (event_id, aggregate_id, aggregate_version) VALUES (?, ?, ?)")) {
            insert.setObject(1, event.eventId());
            insert.setString(2, event.aggregateId());
            insert.setLong(3, event.aggregateVersion());
            insert.executeUpdate();
        }
    }
}

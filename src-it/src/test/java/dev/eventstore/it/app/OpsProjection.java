package dev.eventstore.it.app;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.SQLException;

/** An ASYNC projection in a deployment that never appends nor injects the store: it must still run. */
@ApplicationScoped
@Projection(name = "it-ops", aggregateTypes = "Ops", mode = ProjectionMode.ASYNC)
public class OpsProjection {

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @EventHandler
    public void on(PersistedEvent event) throws SQLException {
        OpsRows.handle(dataSource, "it-ops", event);
    }
}

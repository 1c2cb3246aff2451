package dev.eventstore.it.app;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.sql.SQLException;

/**
 * The ASYNC projection of an EAR with one EJB module and no web module: a projection-only node. The runtime's threads
 * carry the EAR's context, which has no java:comp, so the bean finds its datasource by the global name the store's
 * configuration gives (docs/jakarta-ee.md).
 */
@ApplicationScoped
@Projection(name = "it-ear-only", aggregateTypes = "EarOnly", mode = ProjectionMode.ASYNC)
public class EarOnlyProjection {

    @EventHandler
    public void on(PersistedEvent event) throws SQLException, NamingException {
        String name = ConfigProvider.getConfig().getValue("eventstore.datasource", String.class);
        OpsRows.handle((DataSource) new InitialContext().lookup(name), "it-ear-only", event);
    }
}

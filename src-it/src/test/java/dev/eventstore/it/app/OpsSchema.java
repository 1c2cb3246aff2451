package dev.eventstore.it.app;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The read-model tables of the operability tests' projections; never touches the event store. */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class OpsSchema {

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @PostConstruct
    void create() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS ops_rows (projection TEXT NOT NULL, event_id UUID NOT NULL,"
                    + " event_type TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL,"
                    + " handled_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (projection, event_id))");
            statement.execute("CREATE TABLE IF NOT EXISTS ops_switch (name TEXT PRIMARY KEY, refuse BOOLEAN NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

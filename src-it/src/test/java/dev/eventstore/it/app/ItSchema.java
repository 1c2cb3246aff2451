package dev.eventstore.it.app;

import dev.eventstore.migration.MigrationGenerator;
import dev.eventstore.postgres.StoreConfig;
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

/** Creates the store's tables when the test deployment starts (the generated SQL is idempotent). */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ItSchema {

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @PostConstruct
    void create() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(MigrationGenerator.schemaSql(StoreConfig.defaults()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

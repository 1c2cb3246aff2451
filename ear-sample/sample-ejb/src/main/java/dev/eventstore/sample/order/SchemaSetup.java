package dev.eventstore.sample.order;

import dev.eventstore.migration.SchemaInstaller;
import dev.eventstore.postgres.StoreConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import javax.sql.DataSource;

/**
 * Creates the event store's tables when the application starts (the generated SQL is idempotent). A real deployment
 * would run the same SQL through Flyway or Liquibase instead; see the README.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SchemaSetup {

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @PostConstruct
    void createTables() {
        SchemaInstaller.install(dataSource, StoreConfig.defaults());
    }
}

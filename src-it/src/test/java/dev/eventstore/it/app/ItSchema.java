package dev.eventstore.it.app;

import dev.eventstore.migration.SchemaInstaller;
import dev.eventstore.postgres.StoreConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import javax.sql.DataSource;

/** Creates the store's tables when the test deployment starts (the generated SQL is idempotent). */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ItSchema {

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @PostConstruct
    void create() {
        SchemaInstaller.install(dataSource, StoreConfig.defaults());
    }
}

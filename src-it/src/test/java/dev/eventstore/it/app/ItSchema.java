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
        // The idempotent upgrade statements lock the tables even when there is nothing to change, so they can deadlock
        // with the projection runtime that started reading them: the database picks a victim, which runs again.
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                // One explicit local transaction, rolled back on failure, so the pooled connection is never handed
                // back in an aborted transaction
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    statement.execute(MigrationGenerator.schemaSql(StoreConfig.defaults()));
                    connection.commit();
                    return;
                } catch (SQLException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                if (!deadlock(e) || attempt == 5) {
                    throw new IllegalStateException("Could not create the event store tables: " + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(200L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while creating the event store tables", e);
            }
        }
    }

    /** Whether PostgreSQL reported a deadlock anywhere in the chain (a pool may report what followed instead). */
    private static boolean deadlock(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if ("40P01".equals(next.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}

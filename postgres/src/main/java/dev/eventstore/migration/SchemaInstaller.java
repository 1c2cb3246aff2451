package dev.eventstore.migration;

import dev.eventstore.postgres.StoreConfig;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * Runs the store's schema SQL ({@link MigrationGenerator#schemaSql(StoreConfig)}) on a datasource, for applications
 * that create their tables when they start rather than through Flyway or Liquibase.
 *
 * <p>The SQL is idempotent, but its upgrade statements lock the tables even when there is nothing to change, so it
 * can deadlock with a projection runtime that is already reading them. It therefore runs in one explicit local
 * transaction, rolled back on failure (a pooled connection is never handed back in an aborted transaction), and runs
 * again, up to five times, when PostgreSQL picks it as the deadlock victim.
 */
public final class SchemaInstaller {

    private static final int ATTEMPTS = 5;

    private SchemaInstaller() {
    }

    /**
     * @throws IllegalStateException when the SQL fails for another reason than a deadlock, or five times in a row
     */
    public static void install(DataSource dataSource, StoreConfig config) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        String sql = MigrationGenerator.schemaSql(Objects.requireNonNull(config, "config must not be null"));
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                runInTransaction(connection, sql);
                return;
            } catch (SQLException e) {
                if (!deadlock(e) || attempt == ATTEMPTS) {
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

    private static void runInTransaction(Connection connection, String sql) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Whether PostgreSQL reported a deadlock anywhere in the chain (a pool may report what followed instead). */
    static boolean deadlock(Throwable failure) {
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

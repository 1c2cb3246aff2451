package dev.eventstore.cdi;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import dev.eventstore.projection.ProjectionReset;
import dev.eventstore.testing.TestSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Asynchronous projections of the rebuild tests, each writing one row per event of type "Rebuilt" into
 * {@code rebuild_rows} through the enlisting datasource: one resets through that datasource, one through the
 * connection it is given, one declares no reset.
 */
final class RebuildBeans {

    static final String AGGREGATE_TYPE = "Rebuilt";

    private RebuildBeans() {
    }

    @ApplicationScoped
    @Projection(name = "reset-through-datasource", aggregateTypes = AGGREGATE_TYPE, mode = ProjectionMode.ASYNC)
    public static class ResetThroughDataSource {
        @Inject
        @EventStoreDataSource
        DataSource dataSource;
        @Inject
        ResetProbe probe;

        @EventHandler
        public void on(PersistedEvent event) throws SQLException {
            try (Connection connection = dataSource.getConnection()) {
                insertRow(connection, "reset-through-datasource", event);
            }
        }

        @ProjectionReset
        public void reset() throws SQLException {
            probe.resetRuns("reset-through-datasource");
            try (Connection connection = dataSource.getConnection()) {
                deleteRows(connection, "reset-through-datasource");
            }
        }
    }

    @ApplicationScoped
    @Projection(name = "reset-through-connection", aggregateTypes = AGGREGATE_TYPE, mode = ProjectionMode.ASYNC)
    public static class ResetThroughConnection {
        @Inject
        @EventStoreDataSource
        DataSource dataSource;
        @Inject
        ResetProbe probe;

        @EventHandler
        public void on(PersistedEvent event) throws SQLException {
            try (Connection connection = dataSource.getConnection()) {
                insertRow(connection, "reset-through-connection", event);
            }
        }

        @ProjectionReset
        public void clear(Connection connection) throws SQLException {
            probe.resetRuns("reset-through-connection");
            deleteRows(connection, "reset-through-connection");
        }
    }

    @ApplicationScoped
    @Projection(name = "without-reset", aggregateTypes = AGGREGATE_TYPE, mode = ProjectionMode.ASYNC)
    public static class WithoutReset {
        @Inject
        @EventStoreDataSource
        DataSource dataSource;

        @EventHandler
        public void on(PersistedEvent event) throws SQLException {
            try (Connection connection = dataSource.getConnection()) {
                insertRow(connection, "without-reset", event);
            }
        }
    }

    /**
     * What each reset saw when it ran: the JTA transaction status and whether another session could lock the
     * projection's checkpoint row (it must not: the rebuild holds it).
     */
    @ApplicationScoped
    public static class ResetProbe {
        record Run(String projection, int transactionStatus, boolean checkpointLockedByRebuild) {
        }

        @Inject
        TransactionSynchronizationRegistry transactions;
        private volatile TestSchema schema;
        private final List<Run> runs = new CopyOnWriteArrayList<>();

        void watch(TestSchema schema) {
            this.schema = schema;
        }

        List<Run> runs(String projection) {
            return runs.stream().filter(run -> run.projection().equals(projection)).toList();
        }

        void resetRuns(String projection) throws SQLException {
            runs.add(new Run(projection, transactions.getTransactionStatus(), lockedElsewhere(projection)));
        }

        private boolean lockedElsewhere(String projection) throws SQLException {
            try (Connection other = schema.begin(); PreparedStatement lock = other.prepareStatement(
                    "SELECT 1 FROM projection_checkpoints WHERE projection_name = ? FOR UPDATE NOWAIT")) {
                lock.setString(1, projection);
                lock.executeQuery().close();
                other.rollback();
                return false;
            } catch (SQLException e) {
                if ("55P03".equals(e.getSQLState())) {
                    return true;
                }
                throw e;
            }
        }
    }

    private static void insertRow(Connection connection, String projection, PersistedEvent event)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO rebuild_rows (projection, event_id, aggregate_id, version) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, projection);
            insert.setObject(2, event.eventId());
            insert.setString(3, event.aggregateId());
            insert.setLong(4, event.aggregateVersion());
            insert.executeUpdate();
        }
    }

    private static void deleteRows(Connection connection, String projection) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM rebuild_rows WHERE projection = ?")) {
            delete.setString(1, projection);
            delete.executeUpdate();
        }
    }
}

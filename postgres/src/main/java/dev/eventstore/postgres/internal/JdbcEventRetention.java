package dev.eventstore.postgres.internal;

import dev.eventstore.EventStoreException;
import dev.eventstore.maintenance.EventRetention;
import dev.eventstore.maintenance.RetentionRun;
import dev.eventstore.maintenance.RetentionScope;
import dev.eventstore.postgres.spi.ConnectionAccess;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@link EventRetention} on PostgreSQL: repeated {@code DELETE ... WHERE global_position IN (SELECT ... LIMIT n)}
 * statements until a batch comes back short.
 *
 * <p>Two ways to run, because the locks differ:
 * <ul>
 *   <li>{@link #committingPerBatch}: each batch is its own transaction on a connection of its own, so row locks and
 *       the transaction's snapshot last for one batch only. The right choice for scheduled retention.</li>
 *   <li>{@link #inCallerTransaction}: every batch runs in the caller's transaction, so all deleted rows stay locked
 *       and the transaction stays open until the caller commits. Appends are not blocked (they insert new rows), but
 *       a long run holds back the cluster-wide transaction horizon, which stalls vacuum and gap-aware projection
 *       readers until it ends. Use it for small, deliberate deletes that must commit or roll back as one.</li>
 * </ul>
 */
public final class JdbcEventRetention implements EventRetention {

    private static final System.Logger LOG = System.getLogger(JdbcEventRetention.class.getName());

    /** Default number of events per delete statement. */
    public static final int DEFAULT_BATCH_SIZE = 1_000;

    private final EventQuerySql sql;
    private final Runner runner;
    private final int batchSize;
    private final Clock clock;

    private JdbcEventRetention(EventLogSql sql, Runner runner, int batchSize, Clock clock) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
        this.sql = new EventQuerySql(Objects.requireNonNull(sql, "sql"));
        this.runner = runner;
        this.batchSize = batchSize;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Commits after every batch, on a connection taken from {@code dataSource} for the run and closed after it. */
    public static JdbcEventRetention committingPerBatch(EventLogSql sql, DataSource dataSource, int batchSize,
                                                        Clock clock) {
        if (dataSource == null) {
            throw new IllegalArgumentException("dataSource must not be null");
        }
        return new JdbcEventRetention(sql, (work) -> {
            try (Connection connection = dataSource.getConnection()) {
                boolean commitEachBatch = !connection.getAutoCommit();
                return work.run(connection, commitEachBatch);
            }
        }, batchSize, clock);
    }

    /** Runs every batch inside the caller's current transaction; never commits. */
    public static JdbcEventRetention inCallerTransaction(EventLogSql sql, ConnectionAccess access, int batchSize,
                                                         Clock clock) {
        if (access == null) {
            throw new IllegalArgumentException("access must not be null");
        }
        return new JdbcEventRetention(sql, work -> access.withConnection(connection -> work.run(connection, false)),
                batchSize, clock);
    }

    @Override
    public RetentionRun deleteBefore(Instant cutoff, RetentionScope scope) {
        if (cutoff == null) {
            throw new IllegalArgumentException("cutoff must not be null: events created before it are deleted");
        }
        if (scope == null) {
            throw new IllegalArgumentException("scope must not be null; use RetentionScope.all()");
        }
        Instant startedAt = clock.instant();
        EventQuerySql.Bound delete = sql.deleteBatch(EventFilter.of(cutoff, scope), batchSize);
        long[] deleted = {0};
        int[] batches = {0};
        try {
            runner.run((connection, commitEachBatch) -> {
                try (PreparedStatement statement = connection.prepareStatement(delete.sql())) {
                    delete.bind(connection, statement);
                    int count;
                    do {
                        count = statement.executeUpdate();
                        if (commitEachBatch) {
                            connection.commit();
                        }
                        deleted[0] += count;
                        batches[0]++;
                        LOG.log(System.Logger.Level.DEBUG, () -> "Retention batch deleted " + deleted[0]
                                + " events so far (cutoff " + cutoff + ")");
                    } while (count == batchSize);
                } catch (SQLException | RuntimeException e) {
                    if (commitEachBatch) {
                        rollbackQuietly(connection, e);
                    }
                    throw e;
                }
                return null;
            });
        } catch (SQLException e) {
            throw new EventStoreException("Retention before " + cutoff + " (" + scope + ") failed after deleting "
                    + deleted[0] + " events in " + batches[0] + " batches: " + e.getMessage()
                    + ". Deleting is idempotent: run it again once the cause is fixed.", e);
        }
        Duration duration = Duration.between(startedAt, clock.instant());
        LOG.log(System.Logger.Level.INFO, () -> "Retention deleted " + deleted[0] + " events created before " + cutoff
                + " in " + batches[0] + " batches (" + duration.toMillis() + " ms)");
        return new RetentionRun(cutoff, scope, deleted[0], batches[0], startedAt, duration);
    }

    private static void rollbackQuietly(Connection connection, Exception primary) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            primary.addSuppressed(e);
        }
    }

    @FunctionalInterface
    private interface Runner {
        Void run(BatchWork work) throws SQLException;
    }

    @FunctionalInterface
    private interface BatchWork {
        Void run(Connection connection, boolean commitEachBatch) throws SQLException;
    }
}

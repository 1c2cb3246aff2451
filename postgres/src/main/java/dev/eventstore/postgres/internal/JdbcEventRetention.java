package dev.eventstore.postgres.internal;

import dev.eventstore.EventStoreException;
import dev.eventstore.maintenance.EventRetention;
import dev.eventstore.maintenance.RetentionRun;
import dev.eventstore.maintenance.RetentionScope;
import dev.eventstore.postgres.spi.ConnectionAccess;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 *
 * <p>On the partitioned layout, a run of the first kind whose scope is {@link RetentionScope#all()} first drops the
 * oldest partitions whose events are all older than the cutoff, one per transaction under a lock timeout of
 * {@link #DROP_LOCK_TIMEOUT}, then deletes those events' ids in batches, then deletes the remaining old rows as above.
 * A scoped run, or one in the caller's transaction, deletes rows only.
 */
public final class JdbcEventRetention implements EventRetention {

    private static final System.Logger LOG = System.getLogger(JdbcEventRetention.class.getName());

    /** Default number of events per delete statement. */
    public static final int DEFAULT_BATCH_SIZE = 1_000;

    /**
     * How long dropping a partition waits for its ACCESS EXCLUSIVE lock on the events table; appends and reads queue
     * behind a drop that waits, so the wait is short and a run that cannot get the lock fails (and runs again).
     */
    static final Duration DROP_LOCK_TIMEOUT = Duration.ofSeconds(2);

    /** Ids of dropped events deleted per statement. */
    private static final int FORGET_BATCH_SIZE = 10_000;

    private final EventQuerySql sql;
    private final PartitionSql partitions;
    private final Runner runner;
    private final boolean ownTransactions;
    private final int batchSize;
    private final Clock clock;

    private JdbcEventRetention(EventLogSql sql, Runner runner, boolean ownTransactions, int batchSize, Clock clock) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
        this.sql = new EventQuerySql(Objects.requireNonNull(sql, "sql"));
        this.partitions = sql.partitions().orElse(null);
        this.runner = runner;
        this.ownTransactions = ownTransactions;
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
        }, true, batchSize, clock);
    }

    /** Runs every batch inside the caller's current transaction; never commits. */
    public static JdbcEventRetention inCallerTransaction(EventLogSql sql, ConnectionAccess access, int batchSize,
                                                         Clock clock) {
        if (access == null) {
            throw new IllegalArgumentException("access must not be null");
        }
        return new JdbcEventRetention(sql, work -> access.withConnection(connection -> work.run(connection, false)),
                false, batchSize, clock);
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
        boolean dropPartitions = partitions != null && ownTransactions && scope.isAll();
        try {
            runner.run((connection, commitEachBatch) -> {
                if (dropPartitions) {
                    dropPartitions(connection, cutoff, deleted, batches);
                }
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

    /**
     * Drops whole partitions older than {@code cutoff}, each in a transaction of its own, then forgets their events'
     * ids in batches. The connection's auto-commit setting is restored afterwards.
     */
    private void dropPartitions(Connection connection, Instant cutoff, long[] deleted, int[] batches)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement timeout = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)");
             PreparedStatement drop = connection.prepareStatement(partitions.dropOldestPartitionCall);
             PreparedStatement forget = connection.prepareStatement(partitions.forgetEventIdsCall)) {
            timeout.setString(1, DROP_LOCK_TIMEOUT.toMillis() + "ms");
            drop.setObject(1, EventQuerySql.timestamp(cutoff));
            boolean dropped = true;
            while (dropped) {
                timeout.execute();
                try (ResultSet row = drop.executeQuery()) {
                    dropped = row.next();
                    if (dropped) {
                        String name = row.getString(1);
                        long events = row.getLong(2);
                        deleted[0] += events;
                        batches[0]++;
                        LOG.log(System.Logger.Level.INFO, () -> "Retention dropped partition " + name + " with "
                                + events + " events, all created before " + cutoff);
                    }
                }
                connection.commit();
            }
            forget.setInt(1, FORGET_BATCH_SIZE);
            long forgotten;
            do {
                try (ResultSet row = forget.executeQuery()) {
                    row.next();
                    forgotten = row.getLong(1);
                }
                connection.commit();
                batches[0]++;
            } while (forgotten == FORGET_BATCH_SIZE);
        } catch (SQLException e) {
            rollbackQuietly(connection, e);
            if ("55P03".equals(e.getSQLState())) {
                throw new SQLException("dropping an old partition of " + sql.eventsTable() + " waited "
                        + DROP_LOCK_TIMEOUT.toMillis() + " ms for its lock on the table: a long transaction is using"
                        + " it. The run stopped; it drops the partition on its next run", e.getSQLState(), e);
            }
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
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

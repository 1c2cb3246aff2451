package dev.eventstore.postgres;

import dev.eventstore.EventStore;
import dev.eventstore.EventStoreException;
import dev.eventstore.maintenance.EventRetention;
import dev.eventstore.postgres.spi.AppendListener;
import dev.eventstore.postgres.spi.ConnectionAccess;
import dev.eventstore.postgres.internal.EventLogSql;
import dev.eventstore.postgres.internal.JdbcEventRetention;
import dev.eventstore.postgres.internal.JdbcEventStore;
import dev.eventstore.postgres.internal.PartitionSql;
import dev.eventstore.postgres.internal.LoggingEventStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;

/**
 * Entry point of the PostgreSQL event store for plain Java: build one per configuration, then bind it to the
 * connection of the transaction at hand.
 *
 * <pre>{@code
 * PostgresEventStore store = PostgresEventStore.create(StoreConfig.defaults());
 * try (Connection connection = dataSource.getConnection()) {
 *     connection.setAutoCommit(false);
 *     store.on(connection).append(ExpectedVersion.noStream(), List.of(event));
 *     connection.commit();
 * }
 * }</pre>
 *
 * <p>The store never commits, rolls back or closes the caller's connection. Each append is a single SQL statement,
 * so it is atomic even on a connection in auto-commit mode. Instances are immutable and thread-safe; the SQL is built
 * once per configuration.
 *
 * <p>The store logs through {@link System.Logger} (so JUL, JBoss LogManager, or SLF4J and Log4j through their
 * System.Logger bridges) to the logger {@value #LOGGER_NAME}: every append and every optimistic-concurrency conflict
 * at DEBUG, every read at TRACE, with aggregate type and id, versions or parameters, row counts and timings, never
 * payloads or metadata. With those levels off the cost is one level check per call.
 */
public final class PostgresEventStore {

    /**
     * The logger the store's operations go to: appends and conflicts at DEBUG (JUL {@code FINE}), reads at TRACE
     * (JUL {@code FINER}).
     */
    public static final String LOGGER_NAME = "dev.eventstore.postgres";

    private final StoreConfig config;
    private final EventLogSql sql;

    private PostgresEventStore(StoreConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.sql = new EventLogSql(config);
    }

    public static PostgresEventStore create(StoreConfig config) {
        return new PostgresEventStore(config);
    }

    /** The store working inside {@code connection}'s current transaction. Cheap: create one per unit of work. */
    public EventStore on(Connection connection) {
        Objects.requireNonNull(connection, "connection must not be null");
        return on(ConnectionAccess.borrowed(connection), AppendListener.NONE);
    }

    /**
     * For integrations (the CDI extension is one): the store getting its connections from {@code access}, and
     * calling {@code listener} after every successful append, in the append's transaction. Application code uses
     * {@link #on(Connection)}.
     */
    public EventStore on(ConnectionAccess access, AppendListener listener) {
        Objects.requireNonNull(access, "access must not be null");
        Objects.requireNonNull(listener, "listener must not be null; use AppendListener.NONE");
        return LoggingEventStore.around(new JdbcEventStore(sql, access, listener));
    }

    /**
     * Opt-in retention that deletes old events in batches of {@value JdbcEventRetention#DEFAULT_BATCH_SIZE}, each
     * committed on its own, on a connection taken from {@code dataSource} for the run. Short transactions keep locks
     * and the transaction horizon short; a failed run leaves earlier batches deleted and can simply run again.
     * Give it a non-JTA (or unenlisted) data source and call it outside any transaction.
     */
    public EventRetention retention(DataSource dataSource) {
        return retention(dataSource, JdbcEventRetention.DEFAULT_BATCH_SIZE);
    }

    /** As {@link #retention(DataSource)} with {@code batchSize} events per delete statement and commit. */
    public EventRetention retention(DataSource dataSource, int batchSize) {
        return JdbcEventRetention.committingPerBatch(sql, dataSource, batchSize, Clock.systemUTC());
    }

    /**
     * Opt-in retention inside {@code connection}'s current transaction: all batches commit or roll back together with
     * the caller's work, and every deleted row stays locked until then. Prefer {@link #retention(DataSource)} for
     * anything but small deletes.
     */
    public EventRetention retentionOn(Connection connection) {
        Objects.requireNonNull(connection, "connection must not be null");
        return JdbcEventRetention.inCallerTransaction(sql, ConnectionAccess.borrowed(connection),
                JdbcEventRetention.DEFAULT_BATCH_SIZE, Clock.systemUTC());
    }

    /**
     * Creates the partition the next global position falls into and {@code partitionsAhead} partitions after it,
     * those missing, by calling the schema's {@code <events>_create_partitions} function in {@code connection}'s
     * current transaction (in auto-commit mode, on its own); returns how many it created. Idempotent and cheap when
     * there is nothing to do. Schedule it often enough that the log never reaches the last partition: an append
     * past it fails. A new partition is attached under a SHARE UPDATE EXCLUSIVE lock, so appends and reads go on.
     *
     * @throws IllegalStateException    if this store's configuration is not partitioned
     * @throws IllegalArgumentException if {@code partitionsAhead} is negative
     */
    public int createPartitionsAhead(Connection connection, int partitionsAhead) {
        Objects.requireNonNull(connection, "connection must not be null");
        PartitionSql partitions = sql.partitions().orElseThrow(() -> new IllegalStateException("createPartitionsAhead"
                + " needs a partitioned events table, but this store's configuration has none: use"
                + " StoreConfig.withPartitioning(positionsPerPartition), with a schema created from it"));
        if (partitionsAhead < 0) {
            throw new IllegalArgumentException("partitionsAhead must be >= 0 (partitions after the one the next"
                    + " position falls into), was " + partitionsAhead);
        }
        try (PreparedStatement call = connection.prepareStatement(partitions.createPartitionsCall)) {
            call.setInt(1, partitionsAhead);
            try (ResultSet row = call.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (SQLException e) {
            throw new EventStoreException("Creating partitions of " + config.eventsTable() + " ahead failed: "
                    + e.getMessage() + ". Check that the schema was created with this configuration's partitioning"
                    + " (it defines " + config.eventsTable() + "_create_partitions).", e);
        }
    }

    public StoreConfig config() {
        return config;
    }
}

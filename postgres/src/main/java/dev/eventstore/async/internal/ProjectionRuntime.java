package dev.eventstore.async.internal;

import dev.eventstore.EventStoreException;
import dev.eventstore.async.AsyncProjectionHandler;
import dev.eventstore.async.BatchTransactions;
import dev.eventstore.async.ProjectionCounters;
import dev.eventstore.async.RuntimeStatus;
import dev.eventstore.postgres.SqlName;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.ProjectionState;
import dev.eventstore.projection.ProjectionStatus;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The loop behind {@code AsyncProjections}: one thread gives every projection a turn, then sleeps until a
 * notification or the poll interval; a second thread listens for notifications.
 */
public final class ProjectionRuntime {

    private static final System.Logger LOG = System.getLogger(ProjectionRuntime.class.getName());

    private final DataSource dataSource;
    private final BatchTransactions transactions;
    private final ThreadFactory threads;
    private final StoreConfig config;
    private final ProjectionWorker.Settings settings;
    private final Duration pollInterval;
    private final Checkpoints checkpoints;
    private final Map<String, ProjectionWorker> workers = new LinkedHashMap<>();
    private final Semaphore wakeUps = new Semaphore(0);
    private static final java.util.concurrent.atomic.AtomicInteger SEGMENT_THREADS =
            new java.util.concurrent.atomic.AtomicInteger();
    /** Runs the held segments of one projection at once; null for one thread. */
    private final java.util.concurrent.ExecutorService segmentThreads;
    private volatile boolean running;
    private Thread loop;
    private WakeUpListener listener;
    private Thread listenerThread;
    private volatile RuntimeStatus.Phase phase = RuntimeStatus.Phase.NOT_STARTED;
    private volatile int startAttempts;
    private volatile String lastStartFailure;
    private volatile String wakeUpMode;

    /**
     * @param dataSource   for the listener's dedicated connection, used outside any transaction
     * @param transactions demarcates batches and bookkeeping
     * @param threads      makes the loop and listener threads (a ManagedThreadFactory in a container)
     */
    public ProjectionRuntime(DataSource dataSource, BatchTransactions transactions, ThreadFactory threads,
                             StoreConfig config, ProjectionWorker.Settings settings, Duration pollInterval,
                             int segmentThreads) {
        this.dataSource = dataSource;
        this.segmentThreads = segmentThreads < 2 ? null : java.util.concurrent.Executors.newFixedThreadPool(
                segmentThreads, task -> {
                    Thread thread = threads.newThread(task);
                    thread.setName("eventstore-segments-" + settings.node() + "-" + SEGMENT_THREADS.incrementAndGet());
                    return thread;
                });
        this.transactions = transactions;
        this.threads = threads;
        this.config = config;
        this.settings = settings;
        this.pollInterval = pollInterval;
        this.checkpoints = new Checkpoints(new CheckpointSql(config));
        this.wakeUpMode = config.notifyChannel().isEmpty()
                ? "polling every " + pollInterval.toMillis() + " ms: no notify channel is configured (set one to wake"
                + " up within milliseconds of a commit)"
                : "listening on channel " + config.notifyChannel().get().name();
    }

    public synchronized void register(String name, Set<String> aggregateTypes, int segments,
                                      AsyncProjectionHandler handler) {
        if (running) {
            throw new IllegalStateException("register projections before start(); '" + name + "' came too late");
        }
        if (workers.containsKey(name)) {
            throw new IllegalArgumentException("projection '" + name + "' is already registered; names must be unique");
        }
        workers.put(name, new ProjectionWorker(name, aggregateTypes, handler, segments, settings, checkpoints,
                transactions, segmentThreads));
    }

    /**
     * Prepares (the store's tables exist, every projection has its checkpoint row) and starts the loop thread. When
     * the preparation fails it still returns: the loop retries it with backoff while the database is unreachable or
     * the tables are missing, logging each failed attempt at WARNING, then runs the projections.
     */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        phase = RuntimeStatus.Phase.STARTING;
        tryPrepare();
        loop = threads.newThread(this::runLoop);
        loop.setName("eventstore-projections-" + settings.node());
        loop.start();
    }

    private void runLoop() {
        if (!prepareUntilReady()) {
            return;
        }
        startWakeUps();
        LOG.log(System.Logger.Level.INFO, "Projection runtime " + settings.node() + " started with "
                + workers.keySet() + "; " + wakeUpMode);
        while (running) {
            long handled = 0;
            for (ProjectionWorker worker : workers.values()) {
                if (!running) {
                    break;
                }
                handled += worker.turn();
            }
            if (handled == 0) {
                try {
                    wakeUps.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Retries the preparation that {@link #start()} tried first, with backoff, until it succeeds (true) or the runtime
     * is stopped (false).
     */
    private boolean prepareUntilReady() {
        long delayMillis = settings.initialBackoff().toMillis();
        while (running) {
            if (phase == RuntimeStatus.Phase.RUNNING) {
                return true;
            }
            LOG.log(System.Logger.Level.WARNING, "Projection runtime " + settings.node() + " could not start"
                    + " (attempt " + startAttempts + "), retrying in " + delayMillis + " ms: " + lastStartFailure);
            try {
                if (wakeUps.tryAcquire(delayMillis, TimeUnit.MILLISECONDS)) {
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return false;
            }
            delayMillis = Math.min(settings.maxBackoff().toMillis(), delayMillis * 2);
            if (running) {
                tryPrepare();
            }
        }
        return false;
    }

    /** One attempt; true when prepared, else the failure is in {@code lastStartFailure}. */
    private boolean tryPrepare() {
        startAttempts++;
        try {
            prepare();
            lastStartFailure = null;
            phase = RuntimeStatus.Phase.RUNNING;
            return true;
        } catch (RuntimeException e) {
            lastStartFailure = e.getMessage();
            return false;
        }
    }

    /** The store's tables exist and every projection has its checkpoint row. */
    private void prepare() {
        try {
            transactions.autoCommit(connection -> {
                requireTable(connection, config.eventsTable(), "events");
                requireTable(connection, config.checkpointsTable(), "checkpoints");
                requireSegmentColumns(connection, config.checkpointsTable());
                for (ProjectionWorker worker : workers.values()) {
                    checkpoints.ensure(connection, worker.name(), worker.segments());
                }
                return null;
            });
        } catch (SQLException e) {
            throw new EventStoreException(e.getMessage(), e);
        }
    }

    private static void requireTable(Connection connection, SqlName table, String what) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            statement.setString(1, table.sql());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                if (!row.getBoolean(1)) {
                    throw new SQLException("the " + what + " table " + table + " does not exist in database "
                            + connection.getCatalog() + "; create the store's tables first with the SQL that"
                            + " `java -jar eventstore-postgres.jar migrate-gen` writes (docs/configuration.md)");
                }
            }
        }
    }

    /** A checkpoint table made before segments is upgraded by running the schema SQL again. */
    private static void requireSegmentColumns(Connection connection, SqlName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_attribute"
                + " WHERE attrelid = to_regclass(?) AND attname IN ('segment', 'segment_count') AND NOT attisdropped")) {
            statement.setString(1, table.sql());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                if (row.getInt(1) != 2) {
                    throw new SQLException("the checkpoints table " + table + " was made before projections had"
                            + " segments; run the store's schema SQL again (the shipped dev/eventstore/db/"
                            + "V1__eventstore_schema.sql or what `java -jar eventstore-postgres.jar migrate-gen`"
                            + " writes): it upgrades the table in place and keeps every checkpoint");
                }
            }
        }
    }

    private void startWakeUps() {
        if (config.notifyChannel().isEmpty()) {
            return;
        }
        String channel = config.notifyChannel().get().name();
        listener = new WakeUpListener(dataSource, channel, "eventstore-listener-" + settings.node(), this::wakeUp,
                Duration.ofMillis(500), this::listenerReport);
        listenerThread = threads.newThread(listener);
        listenerThread.setName("eventstore-listener-" + settings.node());
        listenerThread.start();
    }

    /** The listener found it cannot listen (the driver API is out of reach): the runtime polls. */
    private void listenerReport(String why) {
        wakeUpMode = "polling every " + pollInterval.toMillis() + " ms: " + why;
        LOG.log(System.Logger.Level.INFO, "Projection runtime " + settings.node() + " is " + wakeUpMode);
    }

    /** Where the runtime is, for liveness checks: see {@link RuntimeStatus}. */
    public RuntimeStatus runtimeStatus() {
        Thread thread = loop;
        WakeUpListener current = listener;
        return new RuntimeStatus(settings.node(), phase, startAttempts, Optional.ofNullable(lastStartFailure),
                thread != null && thread.isAlive(), current != null && current.listening(), wakeUpMode);
    }

    void wakeUp() {
        wakeUps.release();
    }

    /** Gives every projection turns until none has anything readable left; returns the events handled. */
    public synchronized long drain() {
        inAutoCommit(connection -> {
            for (ProjectionWorker worker : workers.values()) {
                checkpoints.ensure(connection, worker.name(), worker.segments());
            }
        });
        long total = 0;
        long handled;
        do {
            handled = 0;
            for (ProjectionWorker worker : workers.values()) {
                handled += worker.turn();
            }
            total += handled;
        } while (handled > 0);
        return total;
    }

    public ProjectionStatus status(String name) {
        ProjectionWorker worker = worker(name);
        ProjectionStatus[] status = new ProjectionStatus[1];
        inAutoCommit(connection -> status[0] = checkpoints.status(connection, name, worker.aggregateTypes()));
        ProjectionStatus found = status[0];
        if (worker.mismatched()) {
            found = new ProjectionStatus(found.name(), found.state(), found.lastTransactionId(),
                    found.lastPosition(), found.lagEvents(), found.lagTime(), found.waitingForHorizon(),
                    found.horizonHolder(), found.preparedTransactions(), found.failureCount(),
                    java.util.Optional.of("Configured with " + worker.segments() + " segment(s), but the checkpoint"
                            + " rows were made for " + found.segments().get(0).segmentCount() + "; this node does not"
                            + " run the projection until rebuild(\"" + name + "\") replaces them"),
                    found.failedPosition(), found.leaseOwner(), found.updatedAt(), found.segments());
        }
        return found;
    }

    public List<String> names() {
        return List.copyOf(workers.keySet());
    }

    public int segments(String name) {
        return worker(name).segments();
    }

    public ProjectionCounters counters(String name) {
        return worker(name).counters();
    }

    public List<ProjectionStatus> statuses() {
        List<ProjectionStatus> all = new ArrayList<>();
        for (String name : workers.keySet()) {
            all.add(status(name));
        }
        return all;
    }

    /** Sets the state of one segment, or of every segment when {@code segment} is empty. */
    public void setState(String name, OptionalInt segment, ProjectionState state) {
        ProjectionWorker worker = worker(name);
        if (segment.isPresent() && (segment.getAsInt() < 0 || segment.getAsInt() >= worker.segments())) {
            throw new IllegalArgumentException("Projection '" + name + "' has segments 0 to "
                    + (worker.segments() - 1) + "; there is no segment " + segment.getAsInt());
        }
        inAutoCommit(connection -> checkpoints.setState(connection, name, segment, state));
        if (state == ProjectionState.RUNNING) {
            worker.retryNow();
            wakeUp();
        }
    }

    /**
     * Clears the read model through the handler's reset and the checkpoint, in one transaction that first locks the
     * checkpoint row; replays after. A batch in flight holds that row until it commits: a reset before the lock would
     * not see the batch's uncommitted rows, which would then survive it and be handled a second time by the replay.
     *
     * @throws IllegalStateException when the handler declares no reset; nothing is changed then
     */
    public void rebuild(String name) {
        ProjectionWorker worker = worker(name);
        if (!declaresReset(worker.handler())) {
            throw new IllegalStateException("Projection '" + name + "' declares no reset, so a rebuild would replay"
                    + " every event onto the read model it already has; nothing was changed. Declare how to clear"
                    + " its read model: on a @Projection bean a method annotated @ProjectionReset (taking nothing"
                    + " or a java.sql.Connection), on an AsyncProjectionHandler an override of reset(Connection)."
                    + " An empty reset declares that the read model needs no clearing.");
        }
        inAutoCommit(connection -> checkpoints.ensure(connection, name, worker.segments()));
        try {
            transactions.inTransaction(connection -> {
                checkpoints.lockForRebuild(connection, name);
                worker.handler().reset(connection);
                checkpoints.reset(connection, name, worker.segments());
                return null;
            });
        } catch (Exception e) {
            throw new EventStoreException("Rebuild of projection " + name + " failed to reset: " + e, e);
        }
        LOG.log(System.Logger.Level.INFO, "Projection " + name + " reset for a rebuild; replaying from the start");
        worker.retryNow();
        wakeUp();
    }

    /** Whether the handler's class overrides {@link AsyncProjectionHandler#reset}, the interface's refusing default. */
    static boolean declaresReset(AsyncProjectionHandler handler) {
        try {
            return handler.getClass().getMethod("reset", Connection.class).getDeclaringClass()
                    != AsyncProjectionHandler.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("AsyncProjectionHandler.reset(Connection) is missing", e);
        }
    }

    public void stop() {
        running = false;
        phase = RuntimeStatus.Phase.STOPPED;
        wakeUp();
        if (listener != null) {
            listener.stop();
        }
        join(loop);
        join(listenerThread);
        if (segmentThreads != null) {
            segmentThreads.shutdown();
        }
        workers.values().forEach(ProjectionWorker::releaseLease);
    }

    private static void join(Thread thread) {
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ProjectionWorker worker(String name) {
        ProjectionWorker worker = workers.get(name);
        if (worker == null) {
            throw new IllegalArgumentException("Unknown projection '" + name + "'; registered: " + workers.keySet());
        }
        return worker;
    }

    private interface SqlAction {
        void run(Connection connection) throws SQLException;
    }

    private void inAutoCommit(SqlAction action) {
        try {
            transactions.autoCommit(connection -> {
                action.run(connection);
                return null;
            });
        } catch (SQLException e) {
            throw new EventStoreException("Projection runtime could not reach the checkpoint table "
                    + config.checkpointsTable() + ": " + e.getMessage(), e);
        }
    }
}

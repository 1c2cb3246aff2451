package dev.eventstore.async.internal;

import dev.eventstore.EventStoreException;
import dev.eventstore.async.AsyncProjectionHandler;
import dev.eventstore.async.BatchTransactions;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.ProjectionState;
import dev.eventstore.projection.ProjectionStatus;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    public synchronized void start() {
        if (running) {
            return;
        }
        inAutoCommit(connection -> {
            for (ProjectionWorker worker : workers.values()) {
                checkpoints.ensure(connection, worker.name(), worker.segments());
            }
        });
        running = true;
        loop = threads.newThread(this::runLoop);
        loop.setName("eventstore-projections-" + settings.node());
        loop.start();
        if (config.notifyChannel().isPresent() && WakeUpListener.available()) {
            listener = new WakeUpListener(dataSource, config.notifyChannel().get().name(),
                    "eventstore-listener-" + settings.node(), this::wakeUp, Duration.ofMillis(500));
            listenerThread = threads.newThread(listener);
            listenerThread.setName("eventstore-listener-" + settings.node());
            listenerThread.start();
        }
        LOG.log(System.Logger.Level.INFO, "Projection runtime " + settings.node() + " started with " + workers.keySet());
    }

    private void runLoop() {
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

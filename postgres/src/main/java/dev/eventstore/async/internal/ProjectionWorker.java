package dev.eventstore.async.internal;

import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjectionHandler;
import dev.eventstore.async.BatchTransactions;
import dev.eventstore.async.ProjectionCounters;
import dev.eventstore.projection.ProjectionState;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one projection: takes the lease, then handles batches, each in one transaction with the checkpoint. After a
 * failure it retries with exponential backoff, one event at a time so the failing event is known, and parks the
 * projection after {@code maxFailures}.
 */
public final class ProjectionWorker {

    private static final System.Logger LOG = System.getLogger(ProjectionWorker.class.getName());

    private final String name;
    private final Set<String> aggregateTypes;
    private final AsyncProjectionHandler handler;
    private final Settings settings;
    private final Checkpoints checkpoints;
    private final BatchTransactions transactions;
    private long nextAttemptNanos;
    private int consecutiveFailures;
    private final AtomicLong eventsHandled = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /** Tuning shared by all workers of a runtime. */
    public record Settings(String node, int batchSize, Duration lease, int maxFailures, Duration initialBackoff,
                           Duration maxBackoff, int maxBatchesPerTurn) {
    }

    ProjectionWorker(String name, Set<String> aggregateTypes, AsyncProjectionHandler handler, Settings settings,
                     Checkpoints checkpoints, BatchTransactions transactions) {
        this.name = name;
        this.aggregateTypes = Set.copyOf(aggregateTypes);
        this.handler = handler;
        this.settings = settings;
        this.checkpoints = checkpoints;
        this.transactions = transactions;
    }

    String name() {
        return name;
    }

    Set<String> aggregateTypes() {
        return aggregateTypes;
    }

    AsyncProjectionHandler handler() {
        return handler;
    }

    /** One turn: handles what is readable now, a bounded number of batches; returns the number of events handled. */
    long turn() {
        if (System.nanoTime() < nextAttemptNanos) {
            return 0;
        }
        try {
            if (!holdsLease()) {
                return 0;
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "Projection " + name + " could not take its lease: " + e);
            return 0;
        }
        long handled = 0;
        for (int batch = 0; batch < settings.maxBatchesPerTurn(); batch++) {
            int size = consecutiveFailures > 0 ? 1 : settings.batchSize();
            int done = handleBatch(size);
            if (done <= 0) {
                break;
            }
            handled += done;
        }
        return handled;
    }

    private boolean holdsLease() throws SQLException {
        Optional<ProjectionState> state = transactions.autoCommit(connection -> checkpoints.acquireLease(connection,
                name, settings.node(), settings.lease().toMillis()));
        return state.isPresent() && state.get() == ProjectionState.RUNNING;
    }

    /** Returns the events handled, 0 when nothing was readable, -1 after a failure. */
    private int handleBatch(int size) {
        PersistedEvent[] first = new PersistedEvent[1];
        try {
            int handled = transactions.inTransaction(connection -> {
                Optional<Checkpoint> checkpoint = checkpoints.lockForBatch(connection, name, settings.node());
                if (checkpoint.isEmpty()) {
                    return 0;
                }
                List<Checkpoints.Read> batch = checkpoints.readBatch(connection, checkpoint.get(), aggregateTypes, size);
                if (batch.isEmpty()) {
                    return 0;
                }
                first[0] = batch.get(0).event();
                handler.handle(connection, batch.stream().map(Checkpoints.Read::event).toList());
                Checkpoints.Read last = batch.get(batch.size() - 1);
                checkpoints.advance(connection, name, new Checkpoint(last.transactionId(),
                        last.event().globalPosition()), settings.lease().toMillis());
                return batch.size();
            });
            if (handled > 0) {
                consecutiveFailures = 0;
                eventsHandled.addAndGet(handled);
                batches.incrementAndGet();
            }
            return handled;
        } catch (Exception failure) {
            fail(first[0], failure);
            return -1;
        }
    }

    private void fail(PersistedEvent first, Exception failure) {
        consecutiveFailures++;
        failures.incrementAndGet();
        long backoff = Math.min(settings.maxBackoff().toNanos(),
                settings.initialBackoff().toNanos() << Math.min(20, consecutiveFailures - 1));
        nextAttemptNanos = System.nanoTime() + backoff;
        String where = first == null ? "" : " at " + first.eventType() + " " + first.aggregateType() + "/"
                + first.aggregateId() + " v" + first.aggregateVersion() + " (position " + first.globalPosition() + ")";
        // Only a single-event batch pins the failure on one event; a larger one is retried event by event first.
        Long failedPosition = first != null && consecutiveFailures > 1 ? first.globalPosition() : null;
        try {
            ProjectionState state = transactions.autoCommit(connection -> checkpoints.recordFailure(connection, name,
                    failure + where, failedPosition, settings.maxFailures()));
            LOG.log(state == ProjectionState.PARKED ? System.Logger.Level.ERROR : System.Logger.Level.WARNING,
                    "Projection " + name + " failed" + where + (state == ProjectionState.PARKED
                            ? "; parked after " + settings.maxFailures() + " failures, resume it after a fix"
                            : "; retrying"), failure);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.ERROR, "Projection " + name + " failed" + where
                    + " and the failure could not be recorded: " + e, failure);
        }
    }

    ProjectionCounters counters() {
        return new ProjectionCounters(eventsHandled.get(), batches.get(), failures.get());
    }

    /** Makes the next turn try at once, for example after a resume. */
    void retryNow() {
        nextAttemptNanos = 0;
        consecutiveFailures = 0;
    }

    void releaseLease() {
        try {
            transactions.autoCommit(connection -> {
                checkpoints.releaseLease(connection, name, settings.node());
                return null;
            });
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "Projection " + name + " could not release its lease: " + e);
        }
    }
}

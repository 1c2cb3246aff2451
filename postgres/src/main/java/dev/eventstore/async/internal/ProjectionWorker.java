package dev.eventstore.async.internal;

import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjectionHandler;
import dev.eventstore.async.BatchTransactions;
import dev.eventstore.async.ProjectionCounters;
import dev.eventstore.projection.ProjectionState;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one projection on this node: takes the leases of its segments (the one segment, or a fair share of several),
 * then handles batches per segment, each in one transaction with that segment's checkpoint. After a failure a
 * segment retries with exponential backoff, one event at a time so the failing event is known, and is parked after
 * {@code maxFailures}; the other segments go on.
 */
public final class ProjectionWorker {

    private static final System.Logger LOG = System.getLogger(ProjectionWorker.class.getName());
    private static final long MISMATCH_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final String name;
    private final Set<String> aggregateTypes;
    private final AsyncProjectionHandler handler;
    private final int segments;
    private final Settings settings;
    private final Checkpoints checkpoints;
    private final BatchTransactions transactions;
    private final long[] nextAttemptNanos;
    private final int[] consecutiveFailures;
    /** The segments this node held at its last look; the rows decide, this only remembers what to release. */
    private final Set<Integer> held = Collections.synchronizedSet(new TreeSet<>());
    private volatile long lastMismatchLogNanos;
    private volatile boolean mismatched;
    /** Runs the turns of several held segments at once; null to run them one after the other. */
    private final java.util.concurrent.Executor parallel;
    private final AtomicLong eventsHandled = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /** Tuning shared by all workers of a runtime. */
    public record Settings(String node, int batchSize, Duration lease, int maxFailures, Duration initialBackoff,
                           Duration maxBackoff, int maxBatchesPerTurn) {
    }

    ProjectionWorker(String name, Set<String> aggregateTypes, AsyncProjectionHandler handler, int segments,
                     Settings settings, Checkpoints checkpoints, BatchTransactions transactions,
                     java.util.concurrent.Executor parallel) {
        this.parallel = parallel;
        this.name = name;
        this.aggregateTypes = Set.copyOf(aggregateTypes);
        this.handler = handler;
        this.segments = segments;
        this.settings = settings;
        this.checkpoints = checkpoints;
        this.transactions = transactions;
        this.nextAttemptNanos = new long[segments];
        this.consecutiveFailures = new int[segments];
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

    int segments() {
        return segments;
    }

    /** The segments this node held at its last turn, for tests and logs. */
    Set<Integer> heldSegments() {
        synchronized (held) {
            return Set.copyOf(held);
        }
    }

    /** One turn: handles what is readable now, a bounded number of batches per segment; returns the events handled. */
    long turn() {
        if (segments == 1) {
            return segmentTurn(0);
        }
        try {
            if (!balance()) {
                return 0;
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "Projection " + name + " could not claim its segments: " + e);
            return 0;
        }
        Set<Integer> mine = heldSegments();
        if (parallel == null || mine.size() < 2) {
            long handled = 0;
            for (int segment : mine) {
                handled += segmentTurn(segment);
            }
            return handled;
        }
        // Each segment on its own thread: a segment's state is touched by one turn at a time, and the join below
        // makes it visible to the next turn, on whichever thread.
        List<java.util.concurrent.CompletableFuture<Long>> turns = new ArrayList<>();
        for (int segment : mine) {
            turns.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> segmentTurn(segment), parallel));
        }
        long handled = 0;
        for (java.util.concurrent.CompletableFuture<Long> turn : turns) {
            handled += turn.join();
        }
        return handled;
    }

    /**
     * Renews this node's heartbeat, then releases segments above its fair share and claims free ones up to it. The
     * fair share is ceil(segments / live nodes); when a live node holds fewer than floor(segments / live nodes) and no
     * segment is free, the node holding most (ties: the lowest name) gives one up for it. Runs between batches, so a
     * release never cuts one. Returns false when the rows were made for another segment count.
     */
    private boolean balance() throws SQLException {
        return transactions.autoCommit(connection -> {
            List<Checkpoints.SegmentRow> rows = checkpoints.segmentRows(connection, name);
            if (rows.size() != segments || rows.stream().anyMatch(row -> row.segmentCount() != segments)) {
                reportMismatch(rows.isEmpty() ? 0 : rows.get(0).segmentCount(), rows.size());
                for (int segment : heldSegments()) {
                    checkpoints.releaseLease(connection, name, segment, settings.node());
                }
                held.clear();
                // Not counted as alive: the others would leave it a share that it never claims.
                checkpoints.forgetNode(connection, name, settings.node());
                return false;
            }
            mismatched = false;
            Set<String> alive = checkpoints.heartbeat(connection, name, settings.node(), settings.lease().toMillis());
            Map<String, Integer> counts = new TreeMap<>();
            alive.forEach(node -> counts.put(node, 0));
            List<Integer> mine = new ArrayList<>();
            List<Integer> free = new ArrayList<>();
            for (Checkpoints.SegmentRow row : rows) {
                if (row.owner().isEmpty()) {
                    free.add(row.segment());
                } else {
                    counts.merge(row.owner().get(), 1, Integer::sum);
                    if (row.owner().get().equals(settings.node())) {
                        mine.add(row.segment());
                    }
                }
            }
            int live = counts.size();
            int floor = segments / live;
            int ceil = (segments + live - 1) / live;
            boolean starving = counts.values().stream().anyMatch(count -> count < floor);
            int release = 0;
            if (mine.size() > ceil) {
                release = mine.size() - ceil;
            } else if (starving && free.isEmpty() && mine.size() > floor && topHolder(counts)) {
                release = 1;
            }
            for (int i = 0; i < release; i++) {
                int segment = mine.remove(mine.size() - 1);
                checkpoints.releaseLease(connection, name, segment, settings.node());
                LOG.log(System.Logger.Level.INFO, "Projection " + name + " segment " + segment + " released by "
                        + settings.node() + " for a fair share of " + ceil + " among " + live + " nodes");
            }
            int claim = release > 0 || (starving && mine.size() >= floor) ? 0 : ceil - mine.size();
            // Each node starts looking at another free segment, so nodes claiming at once rarely collide.
            if (!free.isEmpty()) {
                Collections.rotate(free, Math.floorMod(settings.node().hashCode(), free.size()));
            }
            for (int segment : free) {
                if (claim <= 0) {
                    break;
                }
                if (checkpoints.claimLease(connection, name, segment, settings.node(), settings.lease().toMillis())) {
                    mine.add(segment);
                    claim--;
                    nextAttemptNanos[segment] = 0;
                    consecutiveFailures[segment] = 0;
                    LOG.log(System.Logger.Level.INFO, "Projection " + name + " segment " + segment + " claimed by "
                            + settings.node());
                }
            }
            synchronized (held) {
                held.clear();
                held.addAll(mine);
            }
            return true;
        });
    }

    private boolean topHolder(Map<String, Integer> counts) {
        int most = Collections.max(counts.values());
        return counts.entrySet().stream().filter(entry -> entry.getValue() == most).map(Map.Entry::getKey)
                .findFirst().orElseThrow().equals(settings.node());
    }

    private void reportMismatch(int stored, int rows) {
        mismatched = true;
        long now = System.nanoTime();
        if (lastMismatchLogNanos == 0 || now - lastMismatchLogNanos > MISMATCH_LOG_INTERVAL_NANOS) {
            lastMismatchLogNanos = now == 0 ? 1 : now;
            LOG.log(System.Logger.Level.ERROR, "Projection " + name + " is configured with " + segments
                    + " segment(s) but its checkpoint rows were made for " + stored + " (" + rows + " rows);"
                    + " this node does not run it until rebuild(\"" + name + "\") is called on a node configured"
                    + " with the count you want, which clears the read model and replays with that count");
        }
    }

    /** Whether the checkpoint rows were made for another segment count at the last look. */
    boolean mismatched() {
        return mismatched;
    }

    private long segmentTurn(int segment) {
        if (System.nanoTime() < nextAttemptNanos[segment]) {
            return 0;
        }
        try {
            if (!holdsLease(segment)) {
                held.remove(segment);
                return 0;
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "Projection " + label(segment) + " could not take its lease: " + e);
            return 0;
        }
        long handled = 0;
        for (int batch = 0; batch < settings.maxBatchesPerTurn(); batch++) {
            int size = consecutiveFailures[segment] > 0 ? 1 : settings.batchSize();
            int done = handleBatch(segment, size);
            if (done <= 0) {
                break;
            }
            handled += done;
        }
        return handled;
    }

    private boolean holdsLease(int segment) throws SQLException {
        Optional<ProjectionState> state = transactions.autoCommit(connection -> checkpoints.acquireLease(connection,
                name, segment, settings.node(), settings.lease().toMillis()));
        if (state.isPresent()) {
            held.add(segment);
        }
        return state.isPresent() && state.get() == ProjectionState.RUNNING;
    }

    /** Returns the events handled, 0 when nothing was readable, -1 after a failure. */
    private int handleBatch(int segment, int size) {
        PersistedEvent[] first = new PersistedEvent[1];
        try {
            int handled = transactions.inTransaction(connection -> {
                Optional<Checkpoints.BatchLock> lock = checkpoints.lockForBatch(connection, name, segment,
                        settings.node());
                if (lock.isEmpty()) {
                    return 0;
                }
                if (lock.get().segmentCount() != segments) {
                    reportMismatch(lock.get().segmentCount(), -1);
                    return 0;
                }
                if (segments == 1) {
                    mismatched = false;
                }
                List<Checkpoints.Read> batch = checkpoints.readBatch(connection, lock.get().checkpoint(),
                        aggregateTypes, segment, segments, size);
                if (batch.isEmpty()) {
                    return 0;
                }
                first[0] = batch.get(0).event();
                handler.handle(connection, batch.stream().map(Checkpoints.Read::event).toList());
                Checkpoints.Read last = batch.get(batch.size() - 1);
                checkpoints.advance(connection, name, segment, new Checkpoint(last.transactionId(),
                        last.event().globalPosition()), settings.lease().toMillis());
                return batch.size();
            });
            if (handled > 0) {
                consecutiveFailures[segment] = 0;
                eventsHandled.addAndGet(handled);
                batches.incrementAndGet();
            }
            return handled;
        } catch (Exception failure) {
            fail(segment, first[0], failure);
            return -1;
        }
    }

    private String label(int segment) {
        return segments == 1 ? name : name + " segment " + segment;
    }

    private void fail(int segment, PersistedEvent first, Exception failure) {
        int inARow = ++consecutiveFailures[segment];
        failures.incrementAndGet();
        long backoff = Math.min(settings.maxBackoff().toNanos(),
                settings.initialBackoff().toNanos() << Math.min(20, inARow - 1));
        nextAttemptNanos[segment] = System.nanoTime() + backoff;
        String where = first == null ? "" : " at " + first.eventType() + " " + first.aggregateType() + "/"
                + first.aggregateId() + " v" + first.aggregateVersion() + " (position " + first.globalPosition() + ")";
        // Only a single-event batch pins the failure on one event; a larger one is retried event by event first.
        Long failedPosition = first != null && inARow > 1 ? first.globalPosition() : null;
        try {
            ProjectionState state = transactions.autoCommit(connection -> checkpoints.recordFailure(connection, name,
                    segment, failure + where, failedPosition, settings.maxFailures()));
            LOG.log(state == ProjectionState.PARKED ? System.Logger.Level.ERROR : System.Logger.Level.WARNING,
                    "Projection " + label(segment) + " failed" + where + (state == ProjectionState.PARKED
                            ? "; parked after " + settings.maxFailures() + " failures, resume it after a fix"
                            : "; retrying"), failure);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.ERROR, "Projection " + label(segment) + " failed" + where
                    + " and the failure could not be recorded: " + e, failure);
        }
    }

    ProjectionCounters counters() {
        return new ProjectionCounters(eventsHandled.get(), batches.get(), failures.get());
    }

    /** Makes the next turn try at once, for example after a resume. */
    void retryNow() {
        java.util.Arrays.fill(nextAttemptNanos, 0);
        java.util.Arrays.fill(consecutiveFailures, 0);
    }

    /** Gives back every lease this node holds (and, with segments, its heartbeat), so others take over at once. */
    void releaseLease() {
        try {
            transactions.autoCommit(connection -> {
                Set<Integer> release = segments == 1 ? Set.of(0) : heldSegments();
                for (int segment : release) {
                    checkpoints.releaseLease(connection, name, segment, settings.node());
                }
                if (segments > 1) {
                    checkpoints.forgetNode(connection, name, settings.node());
                }
                held.clear();
                return null;
            });
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "Projection " + name + " could not release its leases: " + e);
        }
    }
}

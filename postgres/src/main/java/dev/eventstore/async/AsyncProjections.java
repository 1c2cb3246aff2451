package dev.eventstore.async;

import dev.eventstore.async.internal.ProjectionRuntime;
import dev.eventstore.async.internal.ProjectionWorker;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.ProjectionState;
import dev.eventstore.projection.ProjectionStatus;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * Runs asynchronous projections that never skip an event, in plain Java.
 *
 * <p>Each projection reads the event log after its checkpoint, only up to the oldest transaction still running in
 * the database, in (transaction id, position) order, and commits its read-model writes with the new checkpoint in one
 * transaction. One node at a time runs a projection (a lease in its checkpoint row, taken over when it expires),
 * unless it has {@linkplain Builder#segments(String, int) segments}: then each segment has its own checkpoint and
 * lease, and the nodes running the projection share the segments fairly. It wakes on the store's notifications and
 * polls as a fallback.
 *
 * <pre>{@code
 * AsyncProjections projections = AsyncProjections.builder(dataSource, StoreConfig.defaults().withNotifyChannel("events"))
 *         .register("customer-totals", Set.of("Order"), (connection, events) -> { ... })
 *         .build();
 * projections.start();
 * }</pre>
 *
 * @see ProjectionStatus for what an operator can see
 */
public final class AsyncProjections implements AutoCloseable {

    private final ProjectionRuntime runtime;

    private AsyncProjections(ProjectionRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * @param dataSource gives plain (non-JTA) connections; the runtime demarcates its own transactions
     * @param config     the store's tables and notify channel
     */
    public static Builder builder(DataSource dataSource, StoreConfig config) {
        return new Builder(dataSource, config);
    }

    /**
     * Starts the background loop (and the listener when the store notifies) and returns at once. Until the database
     * is reachable and the store's tables exist the loop retries with backoff, logging each attempt at WARNING;
     * {@link #runtimeStatus()} tells where it is.
     */
    public void start() {
        runtime.start();
    }

    /** Handles everything readable now on the calling thread, for scripts and tests; returns the events handled. */
    public long drain() {
        return runtime.drain();
    }

    /** This node's runtime: starting (and why not yet), running, how it wakes up; for liveness checks. */
    public RuntimeStatus runtimeStatus() {
        return runtime.runtimeStatus();
    }

    /**
     * The projection as a whole, with each segment's own status in {@link ProjectionStatus#segments()}.
     *
     * @throws IllegalArgumentException for a name that is not registered
     */
    public ProjectionStatus status(String name) {
        return runtime.status(name);
    }

    /** The registered projections' names, in registration order. */
    public List<String> names() {
        return runtime.names();
    }

    /**
     * How many segments this node runs {@code name} with: its {@linkplain Builder#segments(String, int) configured}
     * count. The projection's checkpoint rows may have been made for another count; then this node does not run it
     * until a {@link #rebuild(String)} (see {@link ProjectionStatus.Segment#segmentCount()}).
     *
     * @throws IllegalArgumentException for a name that is not registered
     */
    public int segments(String name) {
        return runtime.segments(name);
    }

    /** What this node has done for {@code name} since it started, for metrics. */
    public ProjectionCounters counters(String name) {
        return runtime.counters(name);
    }

    public List<ProjectionStatus> statuses() {
        return runtime.statuses();
    }

    /** Stops handling events for {@code name}, every segment, on every node until {@link #resume(String)}. */
    public void pause(String name) {
        runtime.setState(name, OptionalInt.empty(), ProjectionState.PAUSED);
    }

    /** Resumes a paused or parked projection, every segment, each from its checkpoint. */
    public void resume(String name) {
        runtime.setState(name, OptionalInt.empty(), ProjectionState.RUNNING);
    }

    /**
     * Stops handling events of one segment of {@code name} on every node until {@link #resume(String, int)}; the
     * other segments go on.
     *
     * @throws IllegalArgumentException for a segment the projection does not have; nothing is changed then
     */
    public void pause(String name, int segment) {
        runtime.setState(name, OptionalInt.of(segment), ProjectionState.PAUSED);
    }

    /**
     * Resumes one paused or parked segment of {@code name} from its checkpoint (unparks it after a fix).
     *
     * @throws IllegalArgumentException for a segment the projection does not have; nothing is changed then
     */
    public void resume(String name, int segment) {
        runtime.setState(name, OptionalInt.of(segment), ProjectionState.RUNNING);
    }

    /**
     * Resets the read model (the handler's {@code reset}) and the checkpoint in one transaction, then replays from the
     * start. The transaction first locks the projection's checkpoint rows (one per segment), so it waits for a batch
     * in flight on any node and no batch starts until it commits. It replaces the rows by as many as this node's
     * {@linkplain Builder#segments(String, int) segment count}: the way to change the count.
     *
     * @throws IllegalStateException when the projection declares no reset; nothing is changed then
     */
    public void rebuild(String name) {
        runtime.rebuild(name);
    }

    /** Stops the threads and gives the leases back, so another node can take over at once. */
    @Override
    public void close() {
        runtime.stop();
    }

    /** Configures {@link AsyncProjections}; every setting has a sensible default. */
    public static final class Builder {
        /** The most segments a projection may have. */
        public static final int MAX_SEGMENTS = 256;

        private final DataSource dataSource;
        private final StoreConfig config;
        private BatchTransactions transactions;
        private java.util.concurrent.ThreadFactory threads = task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        };
        private final java.util.Map<String, Registration> projections = new java.util.LinkedHashMap<>();
        private String node = "node-" + UUID.randomUUID().toString().substring(0, 8);
        private int batchSize = 500;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration lease = Duration.ofSeconds(15);
        private int maxFailures = 5;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private int segmentThreads = 4;

        private final java.util.Map<String, Integer> segments = new java.util.HashMap<>();

        private record Registration(Set<String> aggregateTypes, AsyncProjectionHandler handler) {
        }

        private Builder(DataSource dataSource, StoreConfig config) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
            this.config = Objects.requireNonNull(config, "config must not be null");
        }

        /** A projection by unique name, for the given aggregate types (empty: all). */
        public Builder register(String name, Set<String> aggregateTypes, AsyncProjectionHandler handler) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("projection name must not be blank");
            }
            Objects.requireNonNull(aggregateTypes, "aggregateTypes must not be null; use Set.of() for all");
            Objects.requireNonNull(handler, "handler must not be null");
            if (projections.putIfAbsent(name, new Registration(Set.copyOf(aggregateTypes), handler)) != null) {
                throw new IllegalArgumentException("projection '" + name + "' is registered twice");
            }
            return this;
        }

        /**
         * Spreads the projection {@code name} over {@code count} segments (default 1), each with its own checkpoint
         * and lease, so that up to {@code count} nodes run it at once, each a fair share. An event's segment is a
         * stable hash of its aggregate type and id: one aggregate's events stay in one segment, in version order;
         * there is no order across segments. Every node must use the same count; changing it needs
         * {@link AsyncProjections#rebuild(String)}. Also the place for a per-deployment override of
         * {@code @Projection(segments = ...)}.
         *
         * @param count between 1 and {@value #MAX_SEGMENTS}
         */
        public Builder segments(String name, int count) {
            if (!projections.containsKey(name)) {
                throw new IllegalArgumentException("segments for projection '" + name + "', which is not registered;"
                        + " register it first, registered: " + projections.keySet());
            }
            if (count < 1 || count > MAX_SEGMENTS) {
                throw new IllegalArgumentException("segments of projection '" + name + "' must be between 1 and "
                        + MAX_SEGMENTS + ", was " + count);
            }
            segments.put(name, count);
            return this;
        }

        /**
         * How many segments of one projection this node runs at the same time, on threads from
         * {@link #threads(java.util.concurrent.ThreadFactory)}; default 4. With 1, the node runs its segments one
         * after the other on its loop thread. A projection with one segment always runs on the loop thread.
         */
        public Builder segmentThreads(int segmentThreads) {
            if (segmentThreads < 1 || segmentThreads > MAX_SEGMENTS) {
                throw new IllegalArgumentException("segmentThreads must be between 1 and " + MAX_SEGMENTS + ", was "
                        + segmentThreads);
            }
            this.segmentThreads = segmentThreads;
            return this;
        }

        /** How batches are demarcated; default local JDBC transactions on the data source. */
        public Builder transactions(BatchTransactions transactions) {
            this.transactions = Objects.requireNonNull(transactions, "transactions must not be null");
            return this;
        }

        /** Makes the runtime's two threads; default daemon threads. In a container, a ManagedThreadFactory. */
        public Builder threads(java.util.concurrent.ThreadFactory threads) {
            this.threads = Objects.requireNonNull(threads, "threads must not be null");
            return this;
        }

        /** This node's name in leases and logs; default random. Must differ between nodes. */
        public Builder node(String node) {
            if (node == null || node.isBlank()) {
                throw new IllegalArgumentException("node must not be blank");
            }
            this.node = node;
            return this;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be between 1 and 10000, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** How long the loop sleeps when nothing is readable and no notification came; default 1 s. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = positive(pollInterval, "pollInterval");
            return this;
        }

        /** How long a node holds a projection without renewing; another node takes over after it. Default 15 s. */
        public Builder lease(Duration lease) {
            this.lease = positive(lease, "lease");
            return this;
        }

        /** Consecutive failures after which a projection is parked; default 5. */
        public Builder maxFailures(int maxFailures) {
            if (maxFailures < 1) {
                throw new IllegalArgumentException("maxFailures must be >= 1, was " + maxFailures);
            }
            this.maxFailures = maxFailures;
            return this;
        }

        /** Backoff after the first failure, doubling up to {@code max}; default 200 ms to 30 s. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = positive(initial, "initial backoff");
            this.maxBackoff = positive(max, "max backoff");
            return this;
        }

        public AsyncProjections build() {
            if (projections.isEmpty()) {
                throw new IllegalArgumentException("register at least one projection");
            }
            ProjectionRuntime runtime = new ProjectionRuntime(dataSource,
                    transactions == null ? BatchTransactions.local(dataSource) : transactions, threads, config,
                    new ProjectionWorker.Settings(node, batchSize, lease, maxFailures, initialBackoff, maxBackoff, 20),
                    pollInterval, segments.values().stream().anyMatch(count -> count > 1) ? segmentThreads : 1);
            projections.forEach((name, registration) ->
                    runtime.register(name, registration.aggregateTypes(), segments.getOrDefault(name, 1),
                            registration.handler()));
            return new AsyncProjections(runtime);
        }

        private static Duration positive(Duration value, String field) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, was " + value);
            }
            return value;
        }
    }
}

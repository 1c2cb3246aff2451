package dev.eventstore.jobs;

import dev.eventstore.maintenance.EventRetention;
import dev.eventstore.maintenance.RetentionFigures;
import dev.eventstore.maintenance.RetentionRun;
import dev.eventstore.maintenance.RetentionScope;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Deletes events older than a retention period, on a schedule. <strong>Opt-in:</strong> nothing is deleted unless
 * an application creates and starts one, because the log is otherwise append-only.
 *
 * <p>Every run deletes the events (within the {@link RetentionScope scope}) created before {@code now - keep}. Runs
 * go to the {@link ScheduledExecutorService} passed to {@link #start} with a fixed delay between them; in a Jakarta
 * EE server pass a {@code ManagedScheduledExecutorService}. Runs never overlap, a failed run is logged and counted
 * and the schedule goes on. See {@link EventRetention} for what deleting does to aggregate heads and projections.
 *
 * <pre>{@code
 * RetentionManager retention = RetentionManager.builder(store.retention(dataSource))
 *         .keep(Duration.ofDays(365)).interval(Duration.ofHours(1)).build();
 * retention.start(scheduler);
 * }</pre>
 */
public final class RetentionManager implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RetentionManager.class.getName());

    private final EventRetention retention;
    private final Duration keep;
    private final Duration interval;
    private final Duration initialDelay;
    private final RetentionScope scope;
    private final Clock clock;
    private final ReentrantLock runLock = new ReentrantLock();
    private final AtomicReference<RetentionFigures> figures = new AtomicReference<>(RetentionFigures.NONE);
    private ScheduledFuture<?> schedule;

    private RetentionManager(Builder builder) {
        this.retention = builder.retention;
        this.keep = builder.keep;
        this.interval = builder.interval;
        this.initialDelay = builder.initialDelay == null ? builder.interval : builder.initialDelay;
        this.scope = builder.scope;
        this.clock = builder.clock;
    }

    /** Starts configuring a manager around {@code retention}; {@link Builder#keep(Duration) keep} is required. */
    public static Builder builder(EventRetention retention) {
        return new Builder(retention);
    }

    /** Schedules runs on {@code executor}: the first after the initial delay, then {@code interval} after each. */
    public synchronized void start(ScheduledExecutorService executor) {
        if (executor == null) {
            throw new IllegalArgumentException("executor must not be null");
        }
        if (schedule != null) {
            throw new IllegalStateException("RetentionManager is already started; stop() it first");
        }
        schedule = executor.scheduleWithFixedDelay(this::scheduledRun, initialDelay.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.log(System.Logger.Level.INFO, () -> "Event retention started: deleting events older than " + keep
                + " (" + scopeText() + ") every " + interval);
    }

    /** Cancels the schedule; a run in progress finishes its current batch loop. Does not shut the executor down. */
    public synchronized void stop() {
        if (schedule != null) {
            schedule.cancel(false);
            schedule = null;
            LOG.log(System.Logger.Level.INFO, "Event retention stopped");
        }
    }

    public synchronized boolean isStarted() {
        return schedule != null;
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Runs retention now, waiting for a scheduled run in progress to finish first.
     *
     * @throws dev.eventstore.EventStoreException if deleting fails (also counted as a failed run)
     */
    public RetentionRun runOnce() {
        runLock.lock();
        try {
            Instant startedAt = clock.instant();
            try {
                RetentionRun run = retention.deleteBefore(cutoff(startedAt), scope);
                figures.updateAndGet(current -> current.after(run));
                return run;
            } catch (RuntimeException e) {
                figures.updateAndGet(current -> current.afterFailure(startedAt,
                        Duration.between(startedAt, clock.instant())));
                throw e;
            }
        } finally {
            runLock.unlock();
        }
    }

    /** {@code now - keep}; a keep reaching past the first instant (ChronoUnit.FOREVER, say) keeps everything. */
    private Instant cutoff(Instant now) {
        return keep.compareTo(Duration.between(Instant.MIN, now)) >= 0 ? Instant.MIN : now.minus(keep);
    }

    /** A scheduled run must never throw, or the executor would silently cancel every later run. */
    private void scheduledRun() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Scheduled event retention failed; it runs again in " + interval, e);
        }
    }

    /** A snapshot of the figures since this manager was created. */
    public RetentionFigures figures() {
        return figures.get();
    }

    public Duration keep() {
        return keep;
    }

    public Duration interval() {
        return interval;
    }

    public RetentionScope scope() {
        return scope;
    }

    private String scopeText() {
        return scope.isAll() ? "all events" : "event types " + scope.eventTypes() + ", aggregate types "
                + scope.aggregateTypes() + ", topics " + scope.topics();
    }

    /** Settings of a {@link RetentionManager}. */
    public static final class Builder {
        private final EventRetention retention;
        private Duration keep;
        private Duration interval = Duration.ofHours(1);
        private Duration initialDelay;
        private RetentionScope scope = RetentionScope.all();
        private Clock clock = Clock.systemUTC();

        private Builder(EventRetention retention) {
            if (retention == null) {
                throw new IllegalArgumentException("retention must not be null");
            }
            this.retention = retention;
        }

        /** How long events are kept: each run deletes events created before {@code now - keep}. Required. */
        public Builder keep(Duration keep) {
            if (keep == null || keep.isNegative() || keep.isZero()) {
                throw new IllegalArgumentException("keep must be a positive duration, was " + keep);
            }
            this.keep = keep;
            return this;
        }

        /** Delay between the end of one run and the start of the next; default one hour. */
        public Builder interval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval must be a positive duration, was " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** Delay before the first run; defaults to the interval. */
        public Builder initialDelay(Duration initialDelay) {
            if (initialDelay == null || initialDelay.isNegative()) {
                throw new IllegalArgumentException("initialDelay must be zero or positive, was " + initialDelay);
            }
            this.initialDelay = initialDelay;
            return this;
        }

        /** Restricts deletion to some event or aggregate types; default all events. */
        public Builder scope(RetentionScope scope) {
            if (scope == null) {
                throw new IllegalArgumentException("scope must not be null; use RetentionScope.all()");
            }
            this.scope = scope;
            return this;
        }

        public Builder clock(Clock clock) {
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null");
            }
            this.clock = clock;
            return this;
        }

        public RetentionManager build() {
            if (keep == null) {
                throw new IllegalArgumentException("keep must be set: how long events are kept before deletion");
            }
            return new RetentionManager(this);
        }
    }
}

package dev.eventstore.jobs;

import dev.eventstore.EventConsumer;
import dev.eventstore.EventStore;
import dev.eventstore.PersistedEvent;
import dev.eventstore.ScopedEventConsumer;
import dev.eventstore.maintenance.ReplayFailedException;
import dev.eventstore.maintenance.ReplayFigures;
import dev.eventstore.maintenance.ReplayResult;
import dev.eventstore.query.EventQuery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Replays the events matching a query into a handler, in global-position order, a batch at a time (keyset paging,
 * so memory stays bounded and deep batches stay fast). Thread-safe; keeps figures over all its runs.
 *
 * <p>Each batch is one {@link EventStore#query(EventQuery)} on the store given, so it runs in whatever transaction
 * that store works in; what the handler does with an event (and in which transaction) is the handler's business.
 * A handler failure either stops the replay with {@link ReplayFailedException} (default) or, with
 * {@link Builder#continueOnError(boolean) continueOnError}, is logged, counted and skipped.
 *
 * <p>A {@link ScopedEventConsumer} receives only events of its {@link ScopedEventConsumer#aggregateTypes() aggregate
 * types}: they are intersected with the query's own aggregate-type filter and the result goes into the SQL, so events
 * of other types are never read, and the figures, the limit and the batches count only the consumer's events. When
 * the intersection is empty the run delivers nothing and reads nothing. An empty set of types means every type.
 *
 * <pre>{@code
 * ReplayService replay = ReplayService.builder().batchSize(500).continueOnError(true).build();
 * ReplayResult result = replay.replay(store, EventQuery.builder().eventTypes("order.#").build(), newProjection);
 * }</pre>
 */
public final class ReplayService {

    private static final System.Logger LOG = System.getLogger(ReplayService.class.getName());

    public static final int DEFAULT_BATCH_SIZE = 500;

    private final int batchSize;
    private final boolean continueOnError;
    private final Clock clock;
    private final AtomicReference<ReplayFigures> figures = new AtomicReference<>(ReplayFigures.NONE);

    private ReplayService(Builder builder) {
        this.batchSize = builder.batchSize;
        this.continueOnError = builder.continueOnError;
        this.clock = builder.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Hands every event matching {@code query} to {@code handler}, oldest global position first.
     *
     * <p>The query's filters select the events; its keyset continuation ({@link EventQuery#afterPosition()}) says
     * where to start and an explicit limit caps the total replayed. The query must use the default order (global
     * position, ascending) and no offset. A {@link ScopedEventConsumer} narrows the query to its aggregate types.
     *
     * @throws ReplayFailedException if the handler throws and continue-on-error is off
     */
    public ReplayResult replay(EventStore store, EventQuery query, EventConsumer handler) {
        if (store == null) {
            throw new IllegalArgumentException("store must not be null");
        }
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        requireReplayable(query);
        Instant startedAt = clock.instant();
        long maximum = query.hasExplicitLimit() ? query.limit() : Long.MAX_VALUE;
        long replayed = 0;
        long failures = 0;
        long lastPosition = query.afterPosition().orElse(0);
        List<Long> failedPositions = new ArrayList<>();
        int batches = 0;
        Optional<EventQuery> narrowed = narrowToScope(query, handler);
        if (narrowed.isEmpty()) {
            ReplayResult result = finish(startedAt, handler, 0, 0, failedPositions, lastPosition, 0);
            LOG.log(System.Logger.Level.INFO, () -> "Replay into '" + handler.name() + "' had nothing to do: none of"
                    + " its aggregate types " + ((ScopedEventConsumer) handler).aggregateTypes() + " is among the"
                    + " query's " + query.aggregateTypes());
            return result;
        }
        EventQuery scoped = narrowed.get();
        boolean more = true;
        while (more && replayed + failures < maximum) {
            int size = (int) Math.min(batchSize, maximum - replayed - failures);
            List<PersistedEvent> batch = store.query(scoped.toBuilder().limit(size).afterPosition(lastPosition)
                    .build());
            batches++;
            for (PersistedEvent event : batch) {
                try {
                    handler.handle(event);
                    replayed++;
                } catch (RuntimeException e) {
                    failures++;
                    if (failedPositions.size() < ReplayResult.MAX_FAILED_POSITIONS) {
                        failedPositions.add(event.globalPosition());
                    }
                    if (!continueOnError) {
                        ReplayResult result = finish(startedAt, handler, replayed, failures, failedPositions,
                                lastPosition, batches);
                        throw new ReplayFailedException(result, event.globalPosition(), e);
                    }
                    LOG.log(System.Logger.Level.WARNING, () -> "Replay into '" + handler.name() + "' skipped event "
                            + event.globalPosition() + " (" + event.eventType() + ") after a handler error", e);
                }
                lastPosition = event.globalPosition();
            }
            more = batch.size() == size;
        }
        ReplayResult result = finish(startedAt, handler, replayed, failures, failedPositions, lastPosition, batches);
        LOG.log(System.Logger.Level.INFO, () -> "Replay into '" + handler.name() + "' handled "
                + result.eventsReplayed() + " events, " + result.failures() + " failures, in "
                + result.duration().toMillis() + " ms");
        return result;
    }

    private ReplayResult finish(Instant startedAt, EventConsumer handler, long replayed, long failures,
                                List<Long> failedPositions, long lastPosition, int batches) {
        ReplayResult result = new ReplayResult(handler.name(), replayed, failures, failedPositions, lastPosition,
                batches, Duration.between(startedAt, clock.instant()));
        figures.updateAndGet(current -> current.after(startedAt, result));
        return result;
    }

    /**
     * {@code query} restricted to the aggregate types a scoped handler wants, or empty when it wants none of those the
     * query allows. A plain handler, or one scoped to no types, takes the query as it is.
     */
    private static Optional<EventQuery> narrowToScope(EventQuery query, EventConsumer handler) {
        if (!(handler instanceof ScopedEventConsumer scoped)) {
            return Optional.of(query);
        }
        Set<String> wanted = scoped.aggregateTypes();
        if (wanted == null) {
            throw new IllegalArgumentException("aggregateTypes() of handler '" + handler.name() + "' must not return"
                    + " null; return an empty set to receive every aggregate type");
        }
        if (wanted.isEmpty()) {
            return Optional.of(query);
        }
        Set<String> types = new LinkedHashSet<>(query.aggregateTypes().isEmpty() ? wanted : query.aggregateTypes());
        types.retainAll(wanted);
        if (types.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(query.toBuilder().aggregateTypes(types).build());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("aggregateTypes() of handler '" + handler.name() + "' must hold valid"
                    + " aggregate types: " + e.getMessage(), e);
        }
    }

    private static void requireReplayable(EventQuery query) {
        if (query == null) {
            throw new IllegalArgumentException("query must not be null; use EventQuery.all() to replay every event");
        }
        if (query.orderBy() != EventQuery.OrderBy.GLOBAL_POSITION || query.isDescending()) {
            throw new IllegalArgumentException("query order must be GLOBAL_POSITION ASCENDING for a replay, was "
                    + query.orderBy() + " " + query.direction() + "; replays deliver events in log order");
        }
        if (query.offset() > 0) {
            throw new IllegalArgumentException("query offset must be 0 for a replay, was " + query.offset()
                    + "; use afterPosition(position) to start later");
        }
    }

    /** A snapshot of the figures over all runs of this service. */
    public ReplayFigures figures() {
        return figures.get();
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean continueOnError() {
        return continueOnError;
    }

    /** Settings of a {@link ReplayService}. */
    public static final class Builder {
        private int batchSize = DEFAULT_BATCH_SIZE;
        private boolean continueOnError;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Events per query, between 1 and {@link EventStore#MAX_QUERY_LIMIT}; default {@value #DEFAULT_BATCH_SIZE}. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > EventStore.MAX_QUERY_LIMIT) {
                throw new IllegalArgumentException("batchSize must be between 1 and " + EventStore.MAX_QUERY_LIMIT
                        + ", was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Whether a handler failure is logged, counted and skipped (true) or stops the replay (false, default). */
        public Builder continueOnError(boolean continueOnError) {
            this.continueOnError = continueOnError;
            return this;
        }

        public Builder clock(Clock clock) {
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null");
            }
            this.clock = clock;
            return this;
        }

        public ReplayService build() {
            return new ReplayService(this);
        }
    }
}

package dev.eventstore.jpa;

import dev.eventstore.EventStore;
import dev.eventstore.EventStoreException;
import dev.eventstore.PersistedEvent;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Rebuilds a projection's read model from the event log: resets it in one transaction, then replays the global log
 * in batches, each batch in a transaction of its own, reporting progress after each one.
 *
 * <p>Run it with writes to the projection's aggregates paused, or build into a new, versioned read model
 * ({@code order_overview_v2}) and switch over: an inline projection updating rows that the rebuild has just cleared
 * would find them missing. Needs a {@link UserTransaction}, so call it from a bean-managed-transaction EJB, a CDI
 * bean or plain code, not from a container-managed transaction.
 */
public final class ProjectionRebuild {

    private final String projection;
    private final EventStore store;
    private final UserTransaction transaction;
    private final Runnable reset;
    private final Consumer<PersistedEvent> handler;
    private final Set<String> aggregateTypes;
    private final int batchSize;
    private final Consumer<Progress> progress;

    private ProjectionRebuild(Builder builder) {
        this.projection = builder.projection;
        this.store = Objects.requireNonNull(builder.store, "store must not be null");
        this.transaction = Objects.requireNonNull(builder.transaction, "transaction must not be null");
        this.reset = Objects.requireNonNull(builder.reset, "reset must be set: say how to clear the read model");
        this.handler = Objects.requireNonNull(builder.handler, "handler must be set: the projection's event handler");
        this.aggregateTypes = Set.copyOf(builder.aggregateTypes);
        this.batchSize = builder.batchSize;
        this.progress = builder.progress;
    }

    /**
     * @param store       a store that joins the current JTA transaction (the injected one)
     * @param transaction demarcates the reset and each batch
     */
    public static Builder builder(String projection, EventStore store, UserTransaction transaction) {
        return new Builder(projection, store, transaction);
    }

    /** Progress after each batch. */
    public record Progress(String projection, long eventsApplied, long eventsRead, long lastPosition,
                           long latestPosition) {
    }

    /** The outcome of a rebuild. */
    public record Report(String projection, long eventsApplied, long eventsRead, long batches, long lastPosition,
                         Duration duration) {
    }

    /** Resets the read model and replays every event; a failing batch rolls back and stops the rebuild. */
    public Report run() {
        long started = System.nanoTime();
        inTransaction(reset::run);
        long applied = 0;
        long read = 0;
        long batches = 0;
        long after = 0;
        while (true) {
            long from = after;
            BatchResult batch = inTransaction(() -> {
                List<PersistedEvent> events = store.readEvents(from, batchSize);
                long handled = 0;
                for (PersistedEvent event : events) {
                    if (aggregateTypes.isEmpty() || aggregateTypes.contains(event.aggregateType())) {
                        handler.accept(event);
                        handled++;
                    }
                }
                long last = events.isEmpty() ? from : events.get(events.size() - 1).globalPosition();
                return new BatchResult(events.size(), handled, last, store.latestGlobalPosition());
            });
            if (batch.read() == 0) {
                break;
            }
            batches++;
            read += batch.read();
            applied += batch.handled();
            after = batch.lastPosition();
            progress.accept(new Progress(projection, applied, read, after, batch.latestPosition()));
        }
        return new Report(projection, applied, read, batches, after, Duration.ofNanos(System.nanoTime() - started));
    }

    private record BatchResult(int read, long handled, long lastPosition, long latestPosition) {
    }

    private void inTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }

    private <T> T inTransaction(java.util.function.Supplier<T> work) {
        try {
            transaction.begin();
        } catch (Exception e) {
            throw new EventStoreException("Rebuild of " + projection + " could not begin a transaction (is one already"
                    + " active? a rebuild demarcates its own): " + e, e);
        }
        try {
            T result = work.get();
            transaction.commit();
            return result;
        } catch (RuntimeException e) {
            rollbackQuietly(e);
            throw new EventStoreException("Rebuild of " + projection + " failed and its current batch was rolled"
                    + " back: " + e.getMessage(), e);
        } catch (Exception e) {
            rollbackQuietly(e);
            throw new EventStoreException("Rebuild of " + projection + " could not commit a batch: " + e, e);
        }
    }

    private void rollbackQuietly(Exception cause) {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } catch (Exception rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    /** Configures a {@link ProjectionRebuild}. */
    public static final class Builder {
        private final String projection;
        private final EventStore store;
        private final UserTransaction transaction;
        private Runnable reset;
        private Consumer<PersistedEvent> handler;
        private Set<String> aggregateTypes = Set.of();
        private int batchSize = 500;
        private Consumer<Progress> progress = p -> { };

        private Builder(String projection, EventStore store, UserTransaction transaction) {
            if (projection == null || projection.isBlank()) {
                throw new IllegalArgumentException("projection must not be blank");
            }
            this.projection = projection;
            this.store = store;
            this.transaction = transaction;
        }

        /** Clears the read model, in its own transaction, before the replay (for example a JPQL bulk delete). */
        public Builder reset(Runnable reset) {
            this.reset = reset;
            return this;
        }

        /** The projection's handler, called for each matching event inside the batch's transaction. */
        public Builder handler(Consumer<PersistedEvent> handler) {
            this.handler = handler;
            return this;
        }

        /** Only events of these aggregate types reach the handler; none given means all. */
        public Builder aggregateTypes(String... aggregateTypes) {
            for (String type : aggregateTypes) {
                if (type == null || type.isBlank()) {
                    throw new IllegalArgumentException("aggregateTypes must not contain a blank entry");
                }
            }
            this.aggregateTypes = Set.of(aggregateTypes);
            return this;
        }

        /** Events read per transaction, 1 to 10,000; default 500. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be between 1 and 10000, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        public Builder onProgress(Consumer<Progress> progress) {
            this.progress = Objects.requireNonNull(progress, "progress must not be null");
            return this;
        }

        public ProjectionRebuild build() {
            return new ProjectionRebuild(this);
        }
    }
}

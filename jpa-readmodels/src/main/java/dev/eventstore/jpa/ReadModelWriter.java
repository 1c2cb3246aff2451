package dev.eventstore.jpa;

import dev.eventstore.PersistedEvent;
import jakarta.persistence.EntityManager;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Applies events to {@link AggregateReadModel} rows through the caller's {@link EntityManager}, in the caller's
 * transaction. The obvious way is the safe way: an event already applied is skipped, a first event creates the row,
 * and the row records the version it has reached.
 *
 * <pre>{@code
 * ReadModelWriter writer = new ReadModelWriter(entityManager);
 * writer.apply(OrderOverview.class, event.aggregateId(), event,
 *         e -> new OrderOverview(e.aggregateId()),           // creates the row for the first event seen
 *         (row, e) -> row.apply(codec.decode(e)));            // changes it for each newer event
 * }</pre>
 */
public final class ReadModelWriter {

    private final EntityManager entityManager;

    public ReadModelWriter(EntityManager entityManager) {
        this.entityManager = Objects.requireNonNull(entityManager, "entityManager must not be null");
    }

    /** The outcome of one {@link #apply} call. */
    public enum Outcome {
        /** The row did not exist and was created from this event. */
        CREATED,
        /** The row existed and this newer event was applied. */
        UPDATED,
        /** The row has already seen this event (or a later one); nothing changed. */
        SKIPPED
    }

    /**
     * Applies {@code event} to the row of {@code type} with {@code id}: creates it with {@code create} when missing,
     * then runs {@code update} unless the row has already applied the event.
     *
     * @param create makes a new, not yet persisted row for the first event of the aggregate
     * @param update changes the row for the event; also called right after {@code create}
     */
    public <T extends AggregateReadModel> Outcome apply(Class<T> type, Object id, PersistedEvent event,
                                                        Function<PersistedEvent, T> create,
                                                        BiConsumer<T, PersistedEvent> update) {
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(event, "event must not be null");
        T row = entityManager.find(type, id);
        if (row != null && row.hasApplied(event)) {
            return Outcome.SKIPPED;
        }
        boolean created = row == null;
        if (created) {
            row = Objects.requireNonNull(create.apply(event), "create returned null for " + event);
        }
        update.accept(row, event);
        row.markApplied(event);
        if (created) {
            entityManager.persist(row);
        }
        return created ? Outcome.CREATED : Outcome.UPDATED;
    }
}

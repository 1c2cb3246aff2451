package dev.eventstore.sample.readmodel;

import dev.eventstore.PersistedEvent;
import dev.eventstore.sample.order.OrderConfirmed;
import dev.eventstore.sample.order.OrderEventMapper;
import dev.eventstore.sample.order.OrderLineAdded;
import dev.eventstore.sample.order.OrderPlaced;
import jakarta.persistence.EntityManager;

/**
 * Applies order events to the {@code order_overview_v1} rows through the caller's {@link EntityManager}, so the
 * rows change in the transaction the events are appended in. Idempotent: an event whose version is not newer than
 * the row's is skipped, so replays and retries change nothing.
 */
public final class OrderOverviewProjector {

    private static final OrderEventMapper EVENTS = new OrderEventMapper();

    private OrderOverviewProjector() {
    }

    /** @return whether the event changed the read model */
    public static boolean apply(EntityManager entityManager, PersistedEvent event) {
        Object domainEvent = EVENTS.fromEvent(event);
        OrderOverview row = entityManager.find(OrderOverview.class, event.aggregateId());
        if (row != null && row.getVersion() >= event.aggregateVersion()) {
            return false;
        }
        if (domainEvent instanceof OrderPlaced placed) {
            row = new OrderOverview(placed.orderId(), placed.customer(), placed.currency());
            row.applied(event.aggregateVersion(), event.createdAt());
            entityManager.persist(row);
            return true;
        }
        if (row == null) {
            throw new IllegalStateException("Order " + event.aggregateId() + " has no overview row for "
                    + event.eventType() + " v" + event.aggregateVersion() + "; rebuild the read model");
        } else if (domainEvent instanceof OrderLineAdded line) {
            row.addLine(line.lineTotalCents());
        } else if (domainEvent instanceof OrderConfirmed) {
            row.confirm();
        }
        row.applied(event.aggregateVersion(), event.createdAt());
        return true;
    }
}

package dev.eventstore.jpa.order;

import dev.eventstore.PersistedEvent;
import dev.eventstore.jpa.ReadModelWriter;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Maintains {@code order_overview_v1} inline, in the append's transaction, idempotently. */
@ApplicationScoped
@Projection(name = "order-overview-v1", aggregateTypes = OrderEvents.AGGREGATE_TYPE)
public class OrderOverviewProjection {

    @Inject
    EntityManager entityManager;

    @EventHandler
    public void on(PersistedEvent event) {
        new ReadModelWriter(entityManager).apply(OrderOverview.class, event.aggregateId(), event,
                first -> {
                    if (!(OrderEvents.decode(first) instanceof OrderEvents.OrderPlaced)) {
                        throw new IllegalStateException("Order " + first.aggregateId() + " has no overview row for "
                                + first.eventType() + " v" + first.aggregateVersion() + "; its OrderPlaced is missing");
                    }
                    return new OrderOverview(first.aggregateId());
                },
                (row, e) -> row.apply(OrderEvents.decode(e)));
    }
}

package dev.eventstore.sample.readmodel;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Keeps {@code order_overview_v1} up to date inline: the container-managed EntityManager joins the append's JTA
 * transaction, so the row and the events commit or roll back together.
 */
@ApplicationScoped
@Projection(name = "order-overview-v1", aggregateTypes = "Order")
public class OrderOverviewProjection {

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    @EventHandler
    public void on(PersistedEvent event) {
        OrderOverviewProjector.apply(entityManager, event);
    }
}

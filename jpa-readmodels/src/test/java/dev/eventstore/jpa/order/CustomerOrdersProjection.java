package dev.eventstore.jpa.order;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import dev.eventstore.projection.ProjectionReset;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Counts each customer's orders asynchronously, in the runtime's JTA batches; its reset clears the counts through the
 * same transaction-scoped EntityManager, in the rebuild's transaction.
 */
@ApplicationScoped
@Projection(name = "customer-orders-v1", aggregateTypes = OrderEvents.AGGREGATE_TYPE, mode = ProjectionMode.ASYNC)
public class CustomerOrdersProjection {

    @Inject
    EntityManager entityManager;

    @ProjectionReset
    public void reset() {
        entityManager.createQuery("DELETE FROM CustomerOrders").executeUpdate();
    }

    @EventHandler
    public void on(PersistedEvent event) {
        if (OrderEvents.decode(event) instanceof OrderEvents.OrderPlaced placed) {
            CustomerOrders orders = entityManager.find(CustomerOrders.class, placed.customer());
            if (orders == null) {
                orders = new CustomerOrders(placed.customer());
                entityManager.persist(orders);
            }
            orders.orderPlaced();
        }
    }
}

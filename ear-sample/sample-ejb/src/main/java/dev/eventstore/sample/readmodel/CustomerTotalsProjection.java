package dev.eventstore.sample.readmodel;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import dev.eventstore.projection.ProjectionReset;
import dev.eventstore.sample.order.OrderLineAdded;
import dev.eventstore.sample.order.OrderPlaced;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Asynchronous: run after commit by the store's gap-aware runtime, in its own JTA transaction together with the
 * checkpoint. Its handlers take the order's domain events, decoded by the generated {@code OrderEventMapper}. Lines
 * carry no customer, so it looks the customer up in the inline overview, which committed with the
 * very events this projection is reading.
 *
 * <p>A session bean on purpose: the runtime's threads belong to no module of the EAR, and an EJB call enters this
 * module's component context, where the {@code orders} persistence unit lives, joining the runtime's transaction.
 */
@Stateless
@Projection(name = "customer-totals-v1", aggregateTypes = "Order", mode = ProjectionMode.ASYNC)
public class CustomerTotalsProjection {

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    /**
     * Clears the totals when the projection is rebuilt ({@code AsyncProjections.rebuild}): called in the rebuild's
     * transaction, after the checkpoint row is locked, so no batch is adding to them meanwhile. Without it the
     * rebuild would be refused, since replaying every order onto the existing totals would double them.
     */
    @ProjectionReset
    public void reset() {
        entityManager.createQuery("DELETE FROM CustomerTotals").executeUpdate();
    }

    @EventHandler
    public void on(OrderPlaced placed) {
        totals(placed.customer()).orderPlaced();
    }

    @EventHandler
    public void on(OrderLineAdded line, PersistedEvent event) {
        OrderOverview order = entityManager.find(OrderOverview.class, event.aggregateId());
        totals(order.getCustomer()).lineAdded(line.lineTotalCents());
    }

    private CustomerTotals totals(String customer) {
        CustomerTotals totals = entityManager.find(CustomerTotals.class, customer);
        if (totals == null) {
            totals = new CustomerTotals(customer);
            entityManager.persist(totals);
        }
        return totals;
    }
}

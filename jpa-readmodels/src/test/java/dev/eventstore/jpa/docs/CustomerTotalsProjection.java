package dev.eventstore.jpa.docs;

import dev.eventstore.jpa.order.OrderEvents.OrderPlaced;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import dev.eventstore.projection.ProjectionReset;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

// The session bean of docs/projections.md. It only has to compile: Weld SE injects neither @PersistenceContext nor
// EJBs, so the same reset runs deployed as AsyncJpaRebuildTest's CustomerOrdersProjection, and the full sample bean
// in WildFly and Payara (ear-sample).
// doc: customer-totals begins
@Stateless
@Projection(name = "customer-totals-v1", aggregateTypes = "Order", mode = ProjectionMode.ASYNC)
public class CustomerTotalsProjection {
    @PersistenceContext(unitName = "orders") EntityManager entityManager;

    @ProjectionReset
    public void reset() { entityManager.createQuery("DELETE FROM CustomerTotals").executeUpdate(); }

    @EventHandler
    public void on(OrderPlaced placed) { /* add the order to its customer's totals */ }
}
// doc: customer-totals ends

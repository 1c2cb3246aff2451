package dev.eventstore.mapping.order;

import dev.eventstore.PersistedEvent;
import dev.eventstore.mapping.order.events.OrderShipped;
import dev.eventstore.mapping.order.events.v2.OrderPlaced;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * The typed handlers and observer of docs/typed-events.md, deployed by TypedHandlersExampleTest: the extension
 * validates them against the generated OrderEventMapper. (Members of an interface are static, so the documented
 * classes are beans here.)
 */
interface TypedHandlersExample {

    // doc: typed-handlers begins
    @ApplicationScoped
    @Projection(name = "order-overview-v2", aggregateTypes = "Order")
    public class OrderOverviewProjection {
        @EventHandler public void on(OrderPlaced placed, PersistedEvent event) { /* ... */ }   // v1 events arrive upcast
        @EventHandler public void on(OrderShipped shipped) { /* ... */ }
    }

    @ApplicationScoped
    public class ShippingMails {
        void shipped(@Observes(during = TransactionPhase.AFTER_SUCCESS) OrderShipped shipped) { /* ... */ }
    }
    // doc: typed-handlers ends
}

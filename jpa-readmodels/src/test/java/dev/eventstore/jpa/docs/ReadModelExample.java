package dev.eventstore.jpa.docs;

import dev.eventstore.PersistedEvent;
import dev.eventstore.jpa.AggregateReadModel;
import dev.eventstore.jpa.ReadModelWriter;
import dev.eventstore.jpa.order.OrderEvents;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Id;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Table;

/**
 * The read model of docs/jakarta-ee.md, which only has to compile: Weld SE does not inject {@code @PersistenceContext}.
 * Its full version ({@code dev.eventstore.jpa.order}) runs deployed in JpaReadModelTest.
 */
interface ReadModelExample {

    // doc: read-model begins
    @Entity
    @Table(name = "order_overview_v1")
    public class OrderOverview extends AggregateReadModel {      // adds last_applied_version
        @Id String orderId;
        String customer, status, currency;
        long totalCents;
        int lineCount;
        protected OrderOverview() { }                                // for JPA
        OrderOverview(String orderId) { this.orderId = orderId; }
        void apply(Object event) { /* OrderPlaced -> OPEN, OrderLineAdded -> totals, OrderConfirmed -> CONFIRMED */ }
    }

    @ApplicationScoped
    @Projection(name = "order-overview-v1", aggregateTypes = "Order")
    public class OrderOverviewProjection {
        @PersistenceContext EntityManager entityManager;

        @EventHandler
        public void on(PersistedEvent event) {
            new ReadModelWriter(entityManager).apply(OrderOverview.class, event.aggregateId(), event,
                    first -> new OrderOverview(first.aggregateId()),           // the row, for the first event seen
                    (row, e) -> row.apply(OrderEvents.decode(e)));             // each newer event
        }
    }
    // doc: read-model ends
}

package dev.eventstore.jpa.docs;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The inline projection of docs/jakarta-ee.md, which only has to compile: Weld SE does not inject
 * {@code @PersistenceContext}. The same projection runs deployed, with an injected EntityManager, in JpaReadModelTest.
 */
interface InlineProjectionExample {

    // doc: inline-projection begins
    @ApplicationScoped
    @Projection(name = "order-overview-v1", aggregateTypes = "Order")   // mode = INLINE by default
    public class OrderOverviewProjection {
        @PersistenceContext EntityManager entityManager;                 // the application's own persistence unit

        @EventHandler
        public void on(PersistedEvent event) { OrderOverviewProjector.apply(entityManager, event); }
    }
    // doc: inline-projection ends

    /** The application's code that updates the read model. */
    final class OrderOverviewProjector {
        private OrderOverviewProjector() {
        }

        static void apply(EntityManager entityManager, PersistedEvent event) {
        }
    }
}

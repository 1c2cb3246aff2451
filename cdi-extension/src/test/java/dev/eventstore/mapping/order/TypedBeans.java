package dev.eventstore.mapping.order;

import dev.eventstore.PersistedEvent;
import dev.eventstore.cdi.AggregateType;
import dev.eventstore.mapping.order.events.OrderCancelled;
import dev.eventstore.mapping.order.events.OrderShipped;
import dev.eventstore.mapping.order.events.v2.OrderPlaced;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Projections and observers that switch on Java types, for {@link TypedEventsContainerTest}. */
final class TypedBeans {

    private TypedBeans() {
    }

    /** What the typed handlers and observers saw, one line each. */
    @ApplicationScoped
    public static class Seen {
        private final List<String> lines = new CopyOnWriteArrayList<>();

        void add(String line) {
            lines.add(line);
        }

        public List<String> startingWith(String prefix) {
            return lines.stream().filter(line -> line.startsWith(prefix)).toList();
        }

        public void clear() {
            lines.clear();
        }
    }

    @ApplicationScoped
    @Projection(name = "typed-orders")
    public static class TypedOrderProjection {
        @Inject
        Seen seen;

        @EventHandler
        public void on(OrderPlaced placed, PersistedEvent event) {
            seen.add("inline: placed " + placed.customerId() + " " + placed.totalCents() + " " + placed.currency()
                    + " at version " + event.aggregateVersion() + " (stored v" + event.eventVersion() + ")");
        }

        @EventHandler
        public void on(OrderShipped shipped) {
            seen.add("inline: shipped by " + shipped.carrier() + " to " + shipped.address().city());
        }

        @EventHandler
        public void any(PersistedEvent event) {
            seen.add("inline: any " + event.aggregateType() + " " + event.eventType());
        }
    }

    @ApplicationScoped
    @Projection(name = "typed-cancellations", mode = ProjectionMode.ASYNC)
    public static class CancellationProjection {
        @Inject
        Seen seen;

        @EventHandler
        public void on(OrderCancelled cancelled, PersistedEvent event) {
            seen.add("async: cancelled " + event.aggregateId() + " " + cancelled.reason());
        }
    }

    @ApplicationScoped
    public static class TypedObservers {
        @Inject
        Seen seen;

        void placed(@Observes OrderPlaced placed) {
            seen.add("observer: placed " + placed.customerId());
        }

        void shippedAfterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) OrderShipped shipped) {
            seen.add("after success: shipped by " + shipped.carrier());
        }

        void invoicePlaced(@Observes @AggregateType("Invoice") OrderPlaced placed) {
            seen.add("invoice observer: " + placed.customerId());
        }
    }
}

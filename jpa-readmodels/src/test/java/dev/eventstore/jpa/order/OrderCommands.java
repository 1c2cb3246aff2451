package dev.eventstore.jpa.order;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;

/** Application code appending order events in declarative transactions. */
@ApplicationScoped
public class OrderCommands {

    @Inject
    EventStore store;

    /** Places an order with its lines (and confirms it) in one transaction. */
    @Transactional
    public void placeOrder(String orderId, String customer, String currency,
                           List<OrderEvents.OrderLineAdded> lines, boolean confirm) {
        List<Event> events = new ArrayList<>();
        events.add(OrderEvents.event(orderId, new OrderEvents.OrderPlaced(customer, currency)));
        lines.forEach(line -> events.add(OrderEvents.event(orderId, line)));
        if (confirm) {
            events.add(OrderEvents.event(orderId, new OrderEvents.OrderConfirmed()));
        }
        store.append(ExpectedVersion.noStream(), events);
    }

    @Transactional
    public void addLine(String orderId, OrderEvents.OrderLineAdded line) {
        store.append(ExpectedVersion.any(), OrderEvents.event(orderId, line));
    }
}

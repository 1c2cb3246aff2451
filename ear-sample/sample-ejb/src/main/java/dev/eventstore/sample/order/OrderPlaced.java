package dev.eventstore.sample.order;

import dev.eventstore.mapping.EventType;

/** An order was opened for a customer, priced in one currency. */
@EventType(topic = "order.lifecycle.placed")
public record OrderPlaced(String orderId, String customer, String currency) {
}

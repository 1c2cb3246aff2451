package dev.eventstore.sample.order;

import dev.eventstore.mapping.EventType;

import java.time.Instant;

/** The customer confirmed the order; no more lines can be added. */
@EventType(topic = "order.lifecycle.confirmed")
public record OrderConfirmed(String orderId, Instant confirmedAt) {
}

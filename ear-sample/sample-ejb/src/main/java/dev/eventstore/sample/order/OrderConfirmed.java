package dev.eventstore.sample.order;

import java.time.Instant;

/** The customer confirmed the order; no more lines can be added. */
public record OrderConfirmed(String orderId, Instant confirmedAt) {
}

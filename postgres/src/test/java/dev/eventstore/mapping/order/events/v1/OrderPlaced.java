// doc: family begins
package dev.eventstore.mapping.order.events.v1;

import java.time.Instant;

/** Version 1 (from the package name): one product per order, amounts in euro cents. */
public record OrderPlaced(String customerId, String product, int quantity, long totalCents, Instant placedAt) {
}
// doc: family ends

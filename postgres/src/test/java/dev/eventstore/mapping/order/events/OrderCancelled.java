// doc: family begins
package dev.eventstore.mapping.order.events;

import dev.eventstore.mapping.EventType;

/** Stored under an older name and version than its class and package say. */
@EventType(name = "OrderCanceled", version = 3)
public record OrderCancelled(String reason, long refundCents) {
}
// doc: family ends

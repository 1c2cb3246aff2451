package dev.eventstore.sample.order;

import dev.eventstore.mapping.EventType;

/** A line was added to an open order; not a lifecycle step, so its topic is outside {@code order.lifecycle}. */
@EventType(topic = "order.line.added")
public record OrderLineAdded(String orderId, String sku, int quantity, long unitPriceCents) {

    public long lineTotalCents() {
        return Math.multiplyExact(quantity, unitPriceCents);
    }
}

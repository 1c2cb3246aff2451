package dev.eventstore.sample.order;

/** A line was added to an open order. */
public record OrderLineAdded(String orderId, String sku, int quantity, long unitPriceCents) {

    public long lineTotalCents() {
        return Math.multiplyExact(quantity, unitPriceCents);
    }
}

package dev.eventstore.bench;

/** The benchmark's event payload: about 120 bytes of JSON, serialized by the same Jackson mapper on both sides. */
public record OrderLineAdded(String orderId, String customer, String sku, int quantity, long cents, String currency) {
}

package dev.eventstore.sample.web;

/** Request bodies of the order API. */
final class Requests {

    private Requests() {
    }

    /** {@code POST /api/orders}. */
    public record PlaceOrder(String customer, String currency) {
    }

    /** {@code POST /api/orders/{id}/lines}. */
    public record AddLine(String sku, int quantity, long unitPriceCents) {
    }
}

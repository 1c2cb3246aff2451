package dev.eventstore.sample.order;

/** An order was opened for a customer, priced in one currency. */
public record OrderPlaced(String orderId, String customer, String currency) {
}

package dev.eventstore.sample.order;

/** What a command answers: the order's state after it, and the version to send back as If-Match. */
public record OrderSnapshot(String orderId, String customer, String currency, String status, int lineCount,
                            long totalCents, long version) {

    static OrderSnapshot of(Order order, long version) {
        return new OrderSnapshot(order.id(), order.customer(), order.currency(), order.status().name(),
                order.lineCount(), order.totalCents(), version);
    }
}

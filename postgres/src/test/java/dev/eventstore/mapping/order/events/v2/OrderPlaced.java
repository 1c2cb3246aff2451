// doc: family begins
package dev.eventstore.mapping.order.events.v2;

import java.time.Instant;
import java.util.List;

/** Version 2: several lines, an explicit currency. */
public record OrderPlaced(String customerId, List<OrderLine> lines, String currency, Instant placedAt) {

    public long totalCents() {
        return lines.stream().mapToLong(OrderLine::amountCents).sum();
    }
}
// doc: family ends

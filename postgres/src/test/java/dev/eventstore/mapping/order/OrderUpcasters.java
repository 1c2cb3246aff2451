// doc: family begins
package dev.eventstore.mapping.order;

import dev.eventstore.mapping.Upcast;
import dev.eventstore.mapping.order.events.v1.OrderPlaced;

import java.util.List;

/** Reads version 1 of OrderPlaced (one product, no currency) as version 2 (lines, currency). */
public final class OrderUpcasters {

    private OrderUpcasters() {
    }

    @Upcast
    public static dev.eventstore.mapping.order.events.v2.OrderPlaced placedV2(OrderPlaced v1) {
        return new dev.eventstore.mapping.order.events.v2.OrderPlaced(v1.customerId(),
                List.of(new dev.eventstore.mapping.order.events.v2.OrderLine(v1.product(), v1.quantity(),
                        v1.totalCents())),
                "EUR", v1.placedAt());
    }
}
// doc: family ends

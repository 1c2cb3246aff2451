// doc: family begins
package dev.eventstore.mapping.order;

import dev.eventstore.mapping.EventFamily;
import dev.eventstore.mapping.order.events.OrderCancelled;
import dev.eventstore.mapping.order.events.OrderShipped;
import dev.eventstore.mapping.order.events.v1.OrderPlaced;

/** The Order example's events; the processor generates {@code OrderEventMapper} from this. */
@EventFamily(aggregateType = "Order",
        events = {OrderPlaced.class, dev.eventstore.mapping.order.events.v2.OrderPlaced.class, OrderShipped.class,
                OrderCancelled.class},
        upcasters = OrderUpcasters.class)
public interface OrderEvents {
}
// doc: family ends

package dev.eventstore.sample.order;

import dev.eventstore.mapping.EventFamily;

/**
 * The order's events. The event store's annotation processor generates {@link OrderEventMapper} from this at compile
 * time: type names, JSON-B payloads and version dispatch, no hand-written strings.
 */
@EventFamily(aggregateType = "Order", events = {OrderPlaced.class, OrderLineAdded.class, OrderConfirmed.class})
public interface OrderEvents {
}

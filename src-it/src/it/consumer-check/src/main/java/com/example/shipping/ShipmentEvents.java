package com.example.shipping;

import dev.eventstore.mapping.EventFamily;

/** The family the processor turns into {@code ShipmentEventMapper}, in this package. */
@EventFamily(aggregateType = "Shipment", events = {ShipmentDispatched.class, ShipmentDelivered.class})
public interface ShipmentEvents {
}

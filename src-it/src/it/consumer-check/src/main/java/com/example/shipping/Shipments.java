package com.example.shipping;

import dev.eventstore.AppendResult;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;

import java.util.List;

/**
 * Application code that names the generated mapper: if the processor did not run, this class does not compile and
 * the consumer check fails at its first step.
 */
public final class Shipments {

    private static final ShipmentEventMapper EVENTS = new ShipmentEventMapper();

    private final EventStore store;

    public Shipments(EventStore store) {
        this.store = store;
    }

    public AppendResult record(String shipmentId, ExpectedVersion expected, List<?> events) {
        return store.append(expected, EVENTS.toEvents(shipmentId, events));
    }

    public List<Object> history(String shipmentId) {
        return EVENTS.fromEvents(store.readAggregateStream(ShipmentEventMapper.AGGREGATE_TYPE, shipmentId));
    }
}

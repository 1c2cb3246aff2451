package dev.eventstore.cdi;

import dev.eventstore.Event;

/** Test events with a small JSON payload. */
final class StoreEvents {

    private StoreEvents() {
    }

    static Event event(String aggregateType, String aggregateId, String eventType) {
        return Event.builder(aggregateType, aggregateId, eventType).jsonPayload("{\"by\":\"test\"}").build();
    }
}

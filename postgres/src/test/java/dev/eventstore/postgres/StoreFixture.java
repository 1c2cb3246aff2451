package dev.eventstore.postgres;

import dev.eventstore.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds test events; every test uses fresh aggregate ids so tests never see each other's data. */
final class StoreFixture {

    private StoreFixture() {
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    static Event event(String type, String id, String eventType) {
        return Event.builder(type, id, eventType).jsonPayload("{\"n\":\"" + UUID.randomUUID() + "\"}").build();
    }

    static List<Event> events(String type, String id, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            events.add(Event.builder(type, id, "Happened").jsonPayload("{\"i\":" + i + "}").build());
        }
        return events;
    }
}

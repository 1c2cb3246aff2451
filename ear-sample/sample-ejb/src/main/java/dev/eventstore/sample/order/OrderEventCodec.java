package dev.eventstore.sample.order;

import dev.eventstore.Event;
import dev.eventstore.PersistedEvent;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Turns the order's domain events into store events (JSON payloads via JSON-B) and back. */
public final class OrderEventCodec {

    public static final String AGGREGATE_TYPE = "Order";

    private static final Jsonb JSONB = JsonbBuilder.create();
    private static final List<Class<?>> TYPES = List.of(OrderPlaced.class, OrderLineAdded.class, OrderConfirmed.class);

    private OrderEventCodec() {
    }

    public static List<Event> toEvents(String orderId, List<Object> domainEvents, String correlationId) {
        return domainEvents.stream()
                .map(domainEvent -> Event.builder(AGGREGATE_TYPE, orderId, domainEvent.getClass().getSimpleName())
                        .jsonPayload(JSONB.toJson(domainEvent))
                        .correlationId(correlationId)
                        .build())
                .toList();
    }

    public static Object fromEvent(PersistedEvent event) {
        for (Class<?> type : TYPES) {
            if (type.getSimpleName().equals(event.eventType())) {
                return JSONB.fromJson(new String(event.payload(), StandardCharsets.UTF_8), type);
            }
        }
        throw new IllegalArgumentException("Unknown order event type " + event.eventType() + " v"
                + event.eventVersion() + " in " + event.aggregateType() + "/" + event.aggregateId());
    }

    public static List<Object> fromEvents(List<PersistedEvent> events) {
        return events.stream().map(OrderEventCodec::fromEvent).toList();
    }
}

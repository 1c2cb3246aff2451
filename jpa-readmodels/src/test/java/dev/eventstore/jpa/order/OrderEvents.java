package dev.eventstore.jpa.order;

import dev.eventstore.Event;
import dev.eventstore.PersistedEvent;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/** The seeds' Order example: its events and their JSON form (JSON-B). */
public final class OrderEvents {

    public static final String AGGREGATE_TYPE = "Order";
    private static final Jsonb JSONB = JsonbBuilder.create();

    private OrderEvents() {
    }

    public record OrderPlaced(String customer, String currency) {
    }

    public record OrderLineAdded(String sku, int quantity, long unitPriceCents) {
    }

    public record OrderConfirmed() {
    }

    public static Event event(String orderId, Object domainEvent) {
        return Event.builder(AGGREGATE_TYPE, orderId, domainEvent.getClass().getSimpleName())
                .jsonPayload(JSONB.toJson(domainEvent))
                .build();
    }

    public static Object decode(PersistedEvent event) {
        Class<?> type = switch (event.eventType()) {
            case "OrderPlaced" -> OrderPlaced.class;
            case "OrderLineAdded" -> OrderLineAdded.class;
            case "OrderConfirmed" -> OrderConfirmed.class;
            default -> throw new IllegalArgumentException("Unknown order event " + event.eventType() + " v"
                    + event.eventVersion() + " in " + event.aggregateType() + "/" + event.aggregateId());
        };
        return JSONB.fromJson(event.payloadAsString(), type);
    }
}

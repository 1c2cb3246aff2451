package dev.eventstore;

import java.time.Instant;
import java.util.UUID;

/**
 * An event as stored: the {@link Event} plus its place in its aggregate's stream and in the global log.
 *
 * <p>{@code globalPosition} is unique and increasing in insertion order, but it is <em>not</em> commit order: under
 * concurrent writers a lower position can become visible after a higher one. Never use it alone as a consumer
 * checkpoint.
 *
 * @param event            the event as appended
 * @param aggregateVersion position in the aggregate's stream: 1 for the first event, +1 for each next one
 * @param globalPosition   position in the global log, from a database sequence
 */
public record PersistedEvent(Event event, long aggregateVersion, long globalPosition) {

    public PersistedEvent {
        Checks.notNull(event, "event");
        Checks.atLeast(aggregateVersion, 1, "aggregateVersion");
        Checks.atLeast(globalPosition, 1, "globalPosition");
    }

    public String aggregateType() {
        return event.aggregateType();
    }

    public String aggregateId() {
        return event.aggregateId();
    }

    public UUID eventId() {
        return event.eventId();
    }

    public String eventType() {
        return event.eventType();
    }

    public int eventVersion() {
        return event.eventVersion();
    }

    public byte[] payload() {
        return event.payload();
    }

    public String payloadAsString() {
        return event.payloadAsString();
    }

    public byte[] metadata() {
        return event.metadata();
    }

    public String metadataAsString() {
        return event.metadataAsString();
    }

    public Instant createdAt() {
        return event.createdAt();
    }

    public String traceId() {
        return event.traceId();
    }

    public String correlationId() {
        return event.correlationId();
    }

    public String causationId() {
        return event.causationId();
    }

    /** The dotted topic, {@code null} when the event has none (also for every event written before topics existed). */
    public String topic() {
        return event.topic();
    }
}

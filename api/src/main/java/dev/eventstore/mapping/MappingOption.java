package dev.eventstore.mapping;

import dev.eventstore.Event;
import dev.eventstore.internal.Topics;

import java.time.Instant;
import java.util.Objects;

/**
 * Context given to {@link EventMapper#toEvents}: tracing ids, metadata and the creation time, applied to every event
 * of the call.
 *
 * <pre>{@code
 * mapper.toEvents(orderId, List.of(placed), MappingOption.correlationId(requestId),
 *         MappingOption.metadata("{\"user\":\"alice\"}"));
 * }</pre>
 */
public sealed interface MappingOption {

    /** Sets this option on an event being built. */
    void applyTo(Event.Builder event);

    /** The distributed-tracing id. */
    static MappingOption traceId(String traceId) {
        return new TraceId(traceId);
    }

    /** The id shared by all events of one business interaction. */
    static MappingOption correlationId(String correlationId) {
        return new CorrelationId(correlationId);
    }

    /** The id of the message or event that caused these events. */
    static MappingOption causationId(String causationId) {
        return new CausationId(causationId);
    }

    /** Metadata as the text of a JSON object, for example {@code {"user":"alice"}}. */
    static MappingOption metadata(String jsonObject) {
        return new Metadata(jsonObject);
    }

    /**
     * The topic of the events, for example {@code order.lifecycle.placed}; overrides the topic their class declares
     * with {@link EventType#topic()}. Validated like {@link Event#topic()}.
     */
    static MappingOption topic(String topic) {
        return new Topic(topic);
    }

    /** When the events happened; the time of the call when absent. */
    static MappingOption createdAt(Instant createdAt) {
        return new CreatedAt(createdAt);
    }

    /** @see #traceId(String) */
    record TraceId(String value) implements MappingOption {
        public TraceId {
            requireText(value, "traceId");
        }

        @Override
        public void applyTo(Event.Builder event) {
            event.traceId(value);
        }
    }

    /** @see #correlationId(String) */
    record CorrelationId(String value) implements MappingOption {
        public CorrelationId {
            requireText(value, "correlationId");
        }

        @Override
        public void applyTo(Event.Builder event) {
            event.correlationId(value);
        }
    }

    /** @see #causationId(String) */
    record CausationId(String value) implements MappingOption {
        public CausationId {
            requireText(value, "causationId");
        }

        @Override
        public void applyTo(Event.Builder event) {
            event.causationId(value);
        }
    }

    /** @see #metadata(String) */
    record Metadata(String jsonObject) implements MappingOption {
        public Metadata {
            Objects.requireNonNull(jsonObject, "metadata must not be null; leave the option out for {}");
        }

        @Override
        public void applyTo(Event.Builder event) {
            event.metadata(jsonObject);
        }
    }

    /** @see #topic(String) */
    record Topic(String value) implements MappingOption {
        public Topic {
            requireText(value, "topic");
            Topics.requireTopic(value, "topic");
        }

        @Override
        public void applyTo(Event.Builder event) {
            event.topic(value);
        }
    }

    /** @see #createdAt(Instant) */
    record CreatedAt(Instant value) implements MappingOption {
        public CreatedAt {
            Objects.requireNonNull(value, "createdAt must not be null; leave the option out for the current time");
        }

        @Override
        public void applyTo(Event.Builder event) {
            event.createdAt(value);
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank; leave the option out when there is none");
        }
    }
}

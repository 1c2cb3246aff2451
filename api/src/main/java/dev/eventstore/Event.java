package dev.eventstore;

import dev.eventstore.internal.StorableText;
import dev.eventstore.internal.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * An event before it is persisted: what happened to one aggregate instance.
 *
 * <p>The payload is opaque bytes (JSON by default) and is stored byte for byte. The metadata is a JSON object in UTF-8
 * ({@code {}} when absent) that the store indexes for containment queries. The event id is the idempotency key:
 * appending an event id that is already stored fails with {@link DuplicateEventIdException}, it is never silently
 * dropped. {@code createdAt} is kept with microsecond precision, the precision PostgreSQL stores, and must fall in the
 * years 1 to 9999 (UTC).
 *
 * <p>Text is stored exactly as given or refused here, with an {@link IllegalArgumentException} naming the field: the
 * text fields and the metadata must not contain NUL (PostgreSQL cannot store it) or an unpaired UTF-16 surrogate (it
 * has no UTF-8 encoding and would be stored as {@code ?}, turning two ids into one), and metadata bytes must be UTF-8
 * without the JSON escapes jsonb refuses (<code>&#92;u0000</code>, a lone escaped surrogate).
 *
 * @param aggregateType  kind of aggregate, for example {@code Order}
 * @param aggregateId    identity of the aggregate instance (UUID, e-mail, slug...)
 * @param eventId        unique id of this event, the idempotency key
 * @param eventType      name of the event, for example {@code OrderPlaced}
 * @param eventVersion   schema version of the payload, {@code >= 1}
 * @param payload        serialized event body
 * @param metadata       JSON object with context (user, tenant, source...), {@code {}} when there is none
 * @param createdAt      when the event happened, truncated to microseconds; in the years 1 to 9999
 * @param traceId        optional distributed-tracing id
 * @param correlationId  optional id shared by all events of one business interaction
 * @param causationId    optional id of the message or event that caused this one
 * @param topic          optional dotted topic for subscribers, for example {@code order.lifecycle.placed}: words of
 *                       ASCII letters, digits, {@code _} and {@code -} separated by single dots, at most 255
 *                       characters; {@code null} when the event has none. Queries filter it with wildcard patterns
 *                       and a message bus publisher uses it as routing key.
 */
public record Event(
        String aggregateType,
        String aggregateId,
        UUID eventId,
        String eventType,
        int eventVersion,
        byte[] payload,
        byte[] metadata,
        Instant createdAt,
        String traceId,
        String correlationId,
        String causationId,
        String topic) {

    private static final byte[] EMPTY_JSON_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);
    /** Years 1 to 9999: what the store writes and reads back exactly, and what the SQL standard's timestamp holds. */
    private static final Instant FIRST_CREATED_AT = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LAST_CREATED_AT = Instant.parse("9999-12-31T23:59:59.999999Z");

    public Event {
        Checks.storable(aggregateType, "aggregateType");
        Checks.storable(aggregateId, "aggregateId");
        Checks.notNull(eventId, "eventId");
        Checks.storable(eventType, "eventType");
        Checks.atLeast(eventVersion, 1, "eventVersion");
        payload = Checks.notNull(payload, "payload").clone();
        metadata = metadata == null ? EMPTY_JSON_OBJECT.clone() : requireJsonObject(metadata.clone());
        createdAt = Checks.notNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MICROS);
        if (createdAt.isBefore(FIRST_CREATED_AT) || createdAt.isAfter(LAST_CREATED_AT)) {
            throw new IllegalArgumentException("createdAt must be between " + FIRST_CREATED_AT + " and "
                    + LAST_CREATED_AT + " (the years 1 to 9999), was " + createdAt);
        }
        Checks.nullOrStorable(traceId, "traceId");
        Checks.nullOrStorable(correlationId, "correlationId");
        Checks.nullOrStorable(causationId, "causationId");
        Topics.requireTopic(topic, "topic");
    }

    /** An event without a topic; see the canonical constructor. */
    public Event(String aggregateType, String aggregateId, UUID eventId, String eventType, int eventVersion,
                 byte[] payload, byte[] metadata, Instant createdAt, String traceId, String correlationId,
                 String causationId) {
        this(aggregateType, aggregateId, eventId, eventType, eventVersion, payload, metadata, createdAt, traceId,
                correlationId, causationId, null);
    }

    /** A copy of this event with {@code topic} ({@code null}: none). */
    public Event withTopic(String topic) {
        return new Event(aggregateType, aggregateId, eventId, eventType, eventVersion, payload, metadata, createdAt,
                traceId, correlationId, causationId, topic);
    }

    /** Starts an event with a random id, schema version 1, an empty JSON payload and metadata, created now. */
    public static Builder builder(String aggregateType, String aggregateId, String eventType) {
        return new Builder(aggregateType, aggregateId, eventType);
    }

    /** A copy of the payload bytes. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** A copy of the metadata bytes (a UTF-8 JSON object). */
    @Override
    public byte[] metadata() {
        return metadata.clone();
    }

    /** The payload decoded as UTF-8, convenient for JSON payloads. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The metadata JSON object as text. */
    public String metadataAsString() {
        return new String(metadata, StandardCharsets.UTF_8);
    }

    /** Size of the payload in bytes, without copying it. */
    public int payloadSize() {
        return payload.length;
    }

    /** Metadata goes to a jsonb column, so it must decode as UTF-8 and hold only what jsonb can store. */
    private static byte[] requireJsonObject(byte[] metadata) {
        if (Arrays.equals(metadata, EMPTY_JSON_OBJECT)) {
            return metadata; // the most common metadata, and what every event without metadata reads back with
        }
        String decoded = StorableText.decodeUtf8(metadata, "metadata");
        String text = decoded.strip();
        if (!text.startsWith("{") || !text.endsWith("}")) {
            throw new IllegalArgumentException(
                    "metadata must be a JSON object such as {\"tenant\":\"acme\"}, was '" + abbreviate(text) + "'");
        }
        StorableText.requireJson(decoded, "metadata");
        return metadata;
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Event that
                && eventVersion == that.eventVersion
                && aggregateType.equals(that.aggregateType)
                && aggregateId.equals(that.aggregateId)
                && eventId.equals(that.eventId)
                && eventType.equals(that.eventType)
                && Arrays.equals(payload, that.payload)
                && Arrays.equals(metadata, that.metadata)
                && createdAt.equals(that.createdAt)
                && Objects.equals(traceId, that.traceId)
                && Objects.equals(correlationId, that.correlationId)
                && Objects.equals(causationId, that.causationId)
                && Objects.equals(topic, that.topic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(aggregateType, aggregateId, eventId, eventType, eventVersion,
                Arrays.hashCode(payload), Arrays.hashCode(metadata), createdAt, traceId, correlationId, causationId,
                topic);
    }

    @Override
    public String toString() {
        return "Event[" + aggregateType + "/" + aggregateId + " " + eventType + " v" + eventVersion
                + (topic == null ? "" : " topic=" + topic) + " id=" + eventId + " payload=" + payload.length
                + " bytes, createdAt=" + createdAt + "]";
    }

    /** Builds an {@link Event}; every setter is optional, {@link #build()} validates. */
    public static final class Builder {
        private final String aggregateType;
        private final String aggregateId;
        private final String eventType;
        private UUID eventId = UUID.randomUUID();
        private int eventVersion = 1;
        private byte[] payload = EMPTY_JSON_OBJECT;
        private byte[] metadata = EMPTY_JSON_OBJECT;
        private Instant createdAt;
        private String traceId;
        private String correlationId;
        private String causationId;
        private String topic;

        private Builder(String aggregateType, String aggregateId, String eventType) {
            this.aggregateType = aggregateType;
            this.aggregateId = aggregateId;
            this.eventType = eventType;
        }

        public Builder eventId(UUID eventId) {
            this.eventId = eventId;
            return this;
        }

        public Builder eventVersion(int eventVersion) {
            this.eventVersion = eventVersion;
            return this;
        }

        public Builder payload(byte[] payload) {
            this.payload = payload;
            return this;
        }

        /** Sets the payload to the UTF-8 bytes of a JSON document; a lone surrogate is refused, not encoded as '?'. */
        public Builder jsonPayload(String json) {
            this.payload = StorableText.encodeUtf8(Checks.notNull(json, "payload"), "payload");
            return this;
        }

        /** Sets the metadata from the text of a JSON object; a lone surrogate is refused, not encoded as '?'. */
        public Builder metadata(String jsonObject) {
            this.metadata = StorableText.encodeUtf8(Checks.notNull(jsonObject, "metadata"), "metadata");
            return this;
        }

        public Builder metadata(byte[] jsonObject) {
            this.metadata = jsonObject;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder traceId(String traceId) {
            this.traceId = traceId;
            return this;
        }

        public Builder correlationId(String correlationId) {
            this.correlationId = correlationId;
            return this;
        }

        public Builder causationId(String causationId) {
            this.causationId = causationId;
            return this;
        }

        /** The dotted topic, for example {@code order.lifecycle.placed}; {@code null} (the default) for none. */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Event build() {
            return new Event(aggregateType, aggregateId, eventId, eventType, eventVersion, payload, metadata,
                    createdAt == null ? Instant.now() : createdAt, traceId, correlationId, causationId, topic);
        }
    }
}

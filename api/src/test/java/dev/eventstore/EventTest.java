package dev.eventstore;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventTest {

    @Test
    void builderFillsSensibleDefaults() {
        Instant before = Instant.now().minusSeconds(1);

        Event event = Event.builder("Order", "o-1", "OrderPlaced").build();

        assertThat(event.eventId()).isNotNull();
        assertThat(event.eventVersion()).isEqualTo(1);
        assertThat(event.payloadAsString()).isEqualTo("{}");
        assertThat(event.metadataAsString()).isEqualTo("{}");
        assertThat(event.createdAt()).isAfter(before);
        assertThat(event.traceId()).isNull();
        assertThat(Event.builder("Order", "o-1", "OrderPlaced").build().eventId()).isNotEqualTo(event.eventId());
    }

    @Test
    void createdAtIsKeptWithMicrosecondPrecision() {
        Event event = Event.builder("Order", "o-1", "OrderPlaced")
                .createdAt(Instant.parse("2026-01-01T00:00:00.123456789Z")).build();

        assertThat(event.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
    }

    @Test
    void payloadAndMetadataAreCopiedSoTheEventIsImmutable() {
        byte[] payload = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        Event event = Event.builder("Order", "o-1", "OrderPlaced").payload(payload).build();

        payload[0] = 'X';
        event.payload()[1] = 'Y';

        assertThat(event.payloadAsString()).isEqualTo("{\"a\":1}");
    }

    @Test
    void equalityComparesByteContent() {
        UUID id = UUID.randomUUID();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        Event first = Event.builder("Order", "o-1", "OrderPlaced").eventId(id).createdAt(at).jsonPayload("{\"a\":1}")
                .build();
        Event second = Event.builder("Order", "o-1", "OrderPlaced").eventId(id).createdAt(at).jsonPayload("{\"a\":1}")
                .build();
        Event other = Event.builder("Order", "o-1", "OrderPlaced").eventId(id).createdAt(at).jsonPayload("{\"a\":2}")
                .build();

        assertThat(first).isEqualTo(second).hasSameHashCodeAs(second).isNotEqualTo(other);
    }

    @Test
    void requiredFieldsAreValidatedWithTheirNames() {
        assertThatThrownBy(() -> Event.builder(" ", "o-1", "T").build()).hasMessage("aggregateType must not be blank");
        assertThatThrownBy(() -> Event.builder("Order", null, "T").build()).hasMessage("aggregateId must not be blank");
        assertThatThrownBy(() -> Event.builder("Order", "o-1", "").build()).hasMessage("eventType must not be blank");
        assertThatThrownBy(() -> Event.builder("Order", "o-1", "T").eventId(null).build())
                .hasMessage("eventId must not be null");
        assertThatThrownBy(() -> Event.builder("Order", "o-1", "T").eventVersion(0).build())
                .hasMessage("eventVersion must be >= 1, was 0");
        assertThatThrownBy(() -> Event.builder("Order", "o-1", "T").payload(null).build())
                .hasMessage("payload must not be null");
        assertThatThrownBy(() -> Event.builder("Order", "o-1", "T").traceId(" ").build())
                .hasMessageContaining("traceId must be null or non-blank");
        assertThatThrownBy(() -> Event.builder("Order", "o-1", "T").correlationId("").build())
                .hasMessageContaining("correlationId");
        assertThatThrownBy(() -> Event.builder("Order", "o-1", "T").causationId("\t").build())
                .hasMessageContaining("causationId");
    }

    @Test
    void metadataMustBeAJsonObject() {
        assertThatThrownBy(() -> Event.builder("Order", "o-1", "T").metadata("[1,2]").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata must be a JSON object");
        assertThatThrownBy(() -> Event.builder("Order", "o-1", "T").metadata("\"text\"").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Event.builder("Order", "o-1", "T").metadata(" {\"a\":1} ").build().metadataAsString())
                .isEqualTo(" {\"a\":1} ");
        assertThat(Event.builder("Order", "o-1", "T").metadata((byte[]) null).build().metadataAsString())
                .isEqualTo("{}");
    }

    @Test
    void persistedEventDelegatesToItsEventAndValidatesPositions() {
        Event event = Event.builder("Order", "o-1", "OrderPlaced").traceId("t").build();
        PersistedEvent persisted = new PersistedEvent(event, 3, 42);

        assertThat(persisted.aggregateType()).isEqualTo("Order");
        assertThat(persisted.eventId()).isEqualTo(event.eventId());
        assertThat(persisted.traceId()).isEqualTo("t");
        assertThatThrownBy(() -> new PersistedEvent(event, 0, 1)).hasMessageContaining("aggregateVersion must be >= 1");
        assertThatThrownBy(() -> new PersistedEvent(event, 1, 0)).hasMessageContaining("globalPosition must be >= 1");
        assertThatThrownBy(() -> new PersistedEvent(null, 1, 1)).hasMessage("event must not be null");
    }
}

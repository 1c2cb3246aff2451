package dev.eventstore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
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

    @ParameterizedTest
    @ValueSource(strings = {"aggregateType", "aggregateId", "eventType", "traceId", "correlationId", "causationId"})
    void aLoneSurrogateInATextFieldIsRejectedNamingTheFieldRatherThanStoredAsAQuestionMark(String field) {
        for (String value : List.of("id-\uD800", "\uDC00-id", "id-\uDE00\uD83D")) {
            assertThatThrownBy(() -> eventWith(field, value))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(field + " contains an unpaired UTF-16 surrogate");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"aggregateType", "aggregateId", "eventType", "traceId", "correlationId", "causationId"})
    void aNulCharacterInATextFieldIsRejectedNamingTheField(String field) {
        assertThatThrownBy(() -> eventWith(field, "id-\u0000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field + " contains NUL (U+0000) at index 3");
    }

    @Test
    void charactersOutsideTheBasicPlaneArePairedSurrogatesAndAccepted() {
        Event event = eventWith("aggregateId", "id-\uD83D\uDE00");

        assertThat(event.aggregateId()).isEqualTo("id-\uD83D\uDE00").hasSize(5);
    }

    @Test
    void metadataBytesThatAreNotUtf8AreRejectedRatherThanReplaced() {
        byte[] latin1 = "{\"name\":\"Jos\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> Event.builder("Order", "o-1", "T").metadata(latin1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("metadata must be UTF-8")
                .hasMessageContaining("byte 12");
    }

    @Test
    void metadataPostgresqlCannotStoreIsRejectedNamingMetadata() {
        List<String> unstorable = List.of(
                "{\"a\":\"\\u0000\"}",          // jsonb refuses the escaped NUL
                "{\"\\u0000\":1}",                // in a key too
                "{\"a\":\"x\u0000\"}",           // a raw NUL
                "{\"a\":\"\\ud800\"}",          // an escaped high surrogate with no low one after it
                "{\"a\":\"\\uDC00\"}",          // an escaped low surrogate with no high one before it
                "{\"a\":\"\\ud800x\"}",
                "{\"a\":\"\uD800\"}");           // a raw lone surrogate, which getBytes would turn into '?'
        for (String metadata : unstorable) {
            assertThatThrownBy(() -> Event.builder("Order", "o-1", "T").metadata(metadata).build())
                    .as(metadata)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("metadata contains");
        }
        byte[] rawNul = "{\"a\":\"x\u0000\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Event.builder("Order", "o-1", "T").metadata(rawNul).build())
                .hasMessageStartingWith("metadata contains NUL");
    }

    @Test
    void metadataEscapesThatOnlyLookLikeNulOrLoneSurrogatesAreAccepted() {
        List<String> storable = List.of(
                "{\"a\":\"\\\\u0000\"}",        // an escaped backslash, then the text u0000
                "{\"a\":\"\\ud83d\\ude00\"}",   // a surrogate pair as two escapes
                "{\"a\":\"\\uD83D\\uDE00\"}",
                "{\"a\":\"\\\"\\u0001\"}");    // an escaped quote does not end the string
        for (String metadata : storable) {
            assertThat(Event.builder("Order", "o-1", "T").metadata(metadata).build().metadataAsString())
                    .isEqualTo(metadata);
        }
    }

    @Test
    void aJsonPayloadWithALoneSurrogateIsRejectedRatherThanEncodedAsAQuestionMark() {
        assertThatThrownBy(() -> Event.builder("Order", "o-1", "T").jsonPayload("{\"a\":\"\uD800\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("payload contains an unpaired UTF-16 surrogate");
        assertThat(Event.builder("Order", "o-1", "T").jsonPayload("{\"a\":\"\u0000\"}").build().payloadSize())
                .as("payload is bytea: a NUL is stored as it is").isEqualTo(9);
    }

    @Test
    void createdAtMustFallInTheYearsOneTo9999() {
        for (Instant outside : List.of(Instant.MIN, Instant.MAX, Instant.parse("0000-12-31T23:59:59.999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"))) {
            assertThatThrownBy(() -> Event.builder("Order", "o-1", "T").createdAt(outside).build())
                    .as(outside.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("createdAt must be between 0001-01-01T00:00:00Z and"
                            + " 9999-12-31T23:59:59.999999Z");
        }
        assertThat(Event.builder("Order", "o-1", "T").createdAt(Instant.parse("0001-01-01T00:00:00Z")).build()
                .createdAt()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(Event.builder("Order", "o-1", "T").createdAt(Instant.parse("9999-12-31T23:59:59.999999999Z"))
                .build().createdAt()).isEqualTo("9999-12-31T23:59:59.999999Z");
    }

    private static Event eventWith(String field, String value) {
        Event.Builder builder = Event.builder(
                field.equals("aggregateType") ? value : "Order",
                field.equals("aggregateId") ? value : "o-1",
                field.equals("eventType") ? value : "OrderPlaced");
        switch (field) {
            case "traceId" -> builder.traceId(value);
            case "correlationId" -> builder.correlationId(value);
            case "causationId" -> builder.causationId(value);
            default -> {
            }
        }
        return builder.build();
    }
}

package dev.eventstore.postgres;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.PersistedEvent;
import dev.eventstore.query.EventQuery;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import static dev.eventstore.ExpectedVersion.any;
import static dev.eventstore.ExpectedVersion.noStream;
import static dev.eventstore.postgres.StoreFixture.event;
import static dev.eventstore.postgres.StoreFixture.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Text and bytes the store would alter (a lone surrogate becomes {@code ?}, invalid UTF-8 becomes U+FFFD) or that
 * PostgreSQL cannot store (NUL) are refused in Java, before any SQL: nothing is written, no other stream is hit, and
 * the caller's transaction stays usable.
 */
class UnalteredInputTest {

    private static final PostgresEventStore STORE = PostgresEventStore.create(StoreConfig.defaults());
    private static TestSchema schema;

    private Connection connection;
    private EventStore store;

    @BeforeAll
    static void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    @BeforeEach
    void open() throws SQLException {
        connection = schema.begin();
        store = STORE.on(connection);
    }

    @AfterEach
    void close() throws SQLException {
        connection.rollback();
        connection.close();
    }

    @Test
    void aLoneSurrogateInTheAggregateIdIsRejectedInsteadOfAppendingToTheStreamWithAQuestionMark()
            throws SQLException {
        String id = newId();
        store.append(noStream(), event("Order", id + "-?", "OrderPlaced"));
        connection.commit();
        long logSize = logSize();

        assertThatThrownBy(() -> store.append(any(), event("Order", id + "-\uD800", "OrderPaid")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("aggregateId contains an unpaired UTF-16 surrogate");

        assertThat(stillUsableAfterRejection()).isEqualTo(logSize + 1);
        assertThat(store.readAggregateStream("Order", id + "-?").events()).extracting(PersistedEvent::eventType)
                .containsExactly("OrderPlaced");
    }

    @ParameterizedTest
    @ValueSource(strings = {"aggregateType", "aggregateId", "eventType", "traceId", "correlationId", "causationId"})
    void aLoneSurrogateInAnyTextFieldIsRejectedAndWritesNothing(String field) throws SQLException {
        long logSize = logSize();

        assertThatThrownBy(() -> store.append(any(), eventWith(field, "x-\uDC00")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field + " contains an unpaired UTF-16 surrogate");

        assertThat(stillUsableAfterRejection()).isEqualTo(logSize + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aggregateType", "aggregateId", "eventType", "traceId", "correlationId", "causationId"})
    void aNulInAnyTextFieldIsRefusedInJavaNamingTheFieldAndWritesNothing(String field) throws SQLException {
        long logSize = logSize();

        assertThatThrownBy(() -> store.append(any(), eventWith(field, "x-\u0000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field + " contains NUL (U+0000) at index 2");

        assertThat(stillUsableAfterRejection()).isEqualTo(logSize + 1);
    }

    @Test
    void metadataBytesThatAreNotUtf8AreRejectedInsteadOfStoredWithAReplacementCharacter() throws SQLException {
        long logSize = logSize();
        byte[] latin1 = "{\"name\":\"Jos\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> store.append(any(), Event.builder("Person", newId(), "PersonNamed")
                .metadata(latin1).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("metadata must be UTF-8");

        assertThat(stillUsableAfterRejection()).isEqualTo(logSize + 1);
    }

    @Test
    void metadataThatJsonbCannotHoldIsRefusedInJavaAndTheTransactionStaysUsable() throws SQLException {
        long logSize = logSize();
        String id = newId();

        for (String metadata : new String[]{"{\"a\":\"\\u0000\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"x\u0000\"}"}) {
            assertThatThrownBy(() -> store.append(any(), Event.builder("Person", id, "PersonNamed")
                    .metadata(metadata).build()))
                    .as(metadata)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("metadata contains");
        }

        assertThat(stillUsableAfterRejection()).isEqualTo(logSize + 1);
        assertThat(store.readAggregateStream("Person", id).isEmpty()).isTrue();
    }

    @Test
    void escapesThatOnlyLookLikeNulOrSurrogatesAreStoredAndReadBackAsTheSameJson() throws SQLException {
        String id = newId();
        Event event = Event.builder("Person", id, "PersonNamed")
                .metadata("{\"path\":\"C:\\\\u0000\",\"smile\":\"\\ud83d\\ude00\"}").build();

        store.append(noStream(), event);
        connection.commit();

        assertThat(store.readAggregateStream("Person", id).events()).singleElement()
                .extracting(PersistedEvent::metadataAsString)
                .isEqualTo("{\"path\": \"C:\\\\u0000\", \"smile\": \"\uD83D\uDE00\"}");
    }

    @Test
    void readingAStreamByTextPostgresqlCannotStoreIsRejectedInsteadOfReadingAnotherStream() throws SQLException {
        String id = newId();
        store.append(noStream(), event("Order", id + "-?", "OrderPlaced"));
        connection.commit();

        assertThatThrownBy(() -> store.readAggregateStream("Order", id + "-\uD800"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("aggregateId contains an unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> store.readAggregateStream("Order\uDBFF", id + "-?"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("aggregateType contains an unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> store.readAggregateStream("Order", id + "\u0000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("aggregateId contains NUL");
    }

    @Test
    void queryingByTextPostgresqlCannotStoreIsRejectedInsteadOfMatchingAnotherStream() throws SQLException {
        String id = newId();
        store.append(noStream(), event("Order", id + "-?", "OrderPlaced"));
        connection.commit();

        assertThatThrownBy(() -> store.query(EventQuery.builder().aggregateId(id + "-\uD800").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("aggregateId contains an unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> store.count(EventQuery.builder().eventTypes("OrderPlaced\uD800").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("eventType contains an unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> store.count(EventQuery.builder().metadataContains("{\"a\":\"\\u0000\"}").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("metadataContains contains");
    }

    @Test
    void createdAtAtBothEndsOfTheAcceptedYearsIsStoredAndReadBackExactly() throws SQLException {
        String id = newId();
        Instant first = Instant.parse("0001-01-01T00:00:00Z");
        Instant last = Instant.parse("9999-12-31T23:59:59.999999Z");

        store.append(noStream(), List.of(Event.builder("Calendar", id, "Began").createdAt(first).build(),
                Event.builder("Calendar", id, "Ended").createdAt(last).build()));
        connection.commit();

        assertThat(store.readAggregateStream("Calendar", id).events()).extracting(PersistedEvent::createdAt)
                .containsExactly(first, last);
        assertThatThrownBy(() -> Event.builder("Calendar", id, "Later").createdAt(last.plusNanos(1_000)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("createdAt must be between");
    }

    /** Appends a valid event in the same transaction, commits, and returns the log's size afterwards. */
    private long stillUsableAfterRejection() throws SQLException {
        store.append(noStream(), event("Marker", newId(), "Happened"));
        connection.commit();
        return logSize();
    }

    private static long logSize() throws SQLException {
        return schema.queryLong("SELECT count(*) FROM events");
    }

    private static Event eventWith(String field, String value) {
        Event.Builder builder = Event.builder(
                field.equals("aggregateType") ? value : "Order",
                field.equals("aggregateId") ? value : newId(),
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

package dev.eventstore.postgres;

import dev.eventstore.AppendResult;
import dev.eventstore.DuplicateEventIdException;
import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.PersistedEvent;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.eventstore.ExpectedVersion.any;
import static dev.eventstore.ExpectedVersion.exact;
import static dev.eventstore.ExpectedVersion.noStream;
import static dev.eventstore.postgres.StoreFixture.event;
import static dev.eventstore.postgres.StoreFixture.events;
import static dev.eventstore.postgres.StoreFixture.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppendTest {

    private static TestSchema schema;
    private static final PostgresEventStore STORE = PostgresEventStore.create(TestDatabase.layout(StoreConfig.defaults()));

    private Connection connection;
    private EventStore store;

    @BeforeAll
    static void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(TestDatabase.layout(StoreConfig.defaults()));
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
    void noStreamCreatesTheStreamAtVersionOne() throws SQLException {
        String id = newId();
        Event placed = event("Order", id, "OrderPlaced");

        AppendResult result = store.append(noStream(), placed);
        connection.commit();

        assertThat(result.fromVersion()).isZero();
        assertThat(result.toVersion()).isEqualTo(1);
        assertThat(result.events()).singleElement().satisfies(written -> {
            assertThat(written.event()).isEqualTo(placed);
            assertThat(written.aggregateVersion()).isEqualTo(1);
            assertThat(written.globalPosition()).isPositive();
        });
        assertThat(store.readAggregateStream("Order", id).events()).isEqualTo(result.events());
    }

    @Test
    void secondNoStreamIsRejectedAndWritesNothing() throws SQLException {
        String id = newId();
        store.append(noStream(), event("Order", id, "OrderPlaced"));
        connection.commit();

        assertThatThrownBy(() -> store.append(noStream(), event("Order", id, "OrderPlaced")))
                .isInstanceOfSatisfying(OptimisticConcurrencyException.class, e -> {
                    assertThat(e.aggregateType()).isEqualTo("Order");
                    assertThat(e.aggregateId()).isEqualTo(id);
                    assertThat(e.expectedVersion()).isEqualTo(noStream());
                    assertThat(e.actualVersion()).hasValue(1);
                    assertThat(e).hasMessageContaining("Order/" + id).hasMessageContaining("noStream()");
                });
        connection.commit();

        assertThat(store.readAggregateStream("Order", id).version()).isEqualTo(1);
    }

    @Test
    void exactZeroBehavesLikeNoStream() throws SQLException {
        assertThat(exact(0)).isEqualTo(noStream());
        String id = newId();

        store.append(exact(0), event("Order", id, "OrderPlaced"));
        connection.commit();

        assertThatThrownBy(() -> store.append(exact(0), event("Order", id, "OrderPlaced")))
                .isInstanceOf(OptimisticConcurrencyException.class);
    }

    @Test
    void exactVersionAppendsWhenItMatches() throws SQLException {
        String id = newId();
        store.append(noStream(), events("Order", id, 2));

        AppendResult result = store.append(exact(2), event("Order", id, "OrderConfirmed"));
        connection.commit();

        assertThat(result.fromVersion()).isEqualTo(2);
        assertThat(result.toVersion()).isEqualTo(3);
        assertThat(store.readAggregateStream("Order", id).version()).isEqualTo(3);
    }

    @Test
    void staleExactVersionIsRejectedAndWritesNothing() throws SQLException {
        String id = newId();
        store.append(noStream(), events("Order", id, 3));
        connection.commit();
        Event stale = event("Order", id, "OrderConfirmed");

        assertThatThrownBy(() -> store.append(exact(2), stale))
                .isInstanceOfSatisfying(OptimisticConcurrencyException.class, e -> {
                    assertThat(e.expectedVersion()).isEqualTo(exact(2));
                    assertThat(e.actualVersion()).hasValue(3);
                });
        connection.commit();

        assertThat(store.readAggregateStream("Order", id).version()).isEqualTo(3);
        assertThat(countEventId(stale.eventId())).isZero();
        assertThat(headVersion("Order", id)).isEqualTo(3);
    }

    @Test
    void exactVersionOnAMissingStreamIsRejected() {
        String id = newId();

        assertThatThrownBy(() -> store.append(exact(1), event("Order", id, "OrderConfirmed")))
                .isInstanceOfSatisfying(OptimisticConcurrencyException.class,
                        e -> assertThat(e.actualVersion()).hasValue(0));
        assertThat(store.readAggregateStream("Order", id).isEmpty()).isTrue();
    }

    @Test
    void anyAppendsToNewAndExistingStreams() throws SQLException {
        String id = newId();

        AppendResult first = store.append(any(), event("Order", id, "OrderPlaced"));
        AppendResult second = store.append(any(), events("Order", id, 2));
        connection.commit();

        assertThat(first.toVersion()).isEqualTo(1);
        assertThat(second.fromVersion()).isEqualTo(1);
        assertThat(second.toVersion()).isEqualTo(3);
    }

    @Test
    void versionsAreConsecutiveAcrossAppends() throws SQLException {
        String id = newId();
        store.append(noStream(), events("Order", id, 3));
        store.append(exact(3), events("Order", id, 2));
        store.append(any(), events("Order", id, 4));
        connection.commit();

        List<PersistedEvent> stream = store.readAggregateStream("Order", id).events();
        assertThat(stream).extracting(PersistedEvent::aggregateVersion).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(stream).extracting(PersistedEvent::globalPosition).isSorted().doesNotHaveDuplicates();
        assertThat(headVersion("Order", id)).isEqualTo(9);
    }

    @Test
    void aLargeBatchIsWrittenInOrderWithAscendingPositions() throws SQLException {
        String id = newId();
        List<Event> batch = events("Order", id, 500);

        AppendResult result = store.append(noStream(), batch);
        connection.commit();

        assertThat(result.events()).extracting(PersistedEvent::event).isEqualTo(batch);
        assertThat(result.globalPositions()).isSorted().doesNotHaveDuplicates();
        assertThat(store.readAggregateStream("Order", id).events()).isEqualTo(result.events());
    }

    @Test
    void aRolledBackBatchLeavesNothingBehind() throws SQLException {
        String id = newId();
        store.append(noStream(), events("Order", id, 50));

        connection.rollback();

        assertThat(store.readAggregateStream("Order", id).isEmpty()).isTrue();
        assertThat(headVersion("Order", id)).isZero();
    }

    @Test
    void aFailingBatchIsAtomic() throws SQLException {
        String id = newId();
        Event stored = event("Order", newId(), "OrderPlaced");
        store.append(noStream(), stored);
        connection.commit();
        List<Event> batch = new ArrayList<>(events("Order", id, 10));
        batch.add(5, Event.builder("Order", id, "Duplicate").eventId(stored.eventId()).build());

        assertThatThrownBy(() -> store.append(noStream(), batch)).isInstanceOf(DuplicateEventIdException.class);
        connection.rollback();

        assertThat(store.readAggregateStream("Order", id).isEmpty()).isTrue();
        assertThat(headVersion("Order", id)).isZero();
    }

    @Test
    void emptyBatchIsRejectedBeforeTouchingTheDatabase() {
        long before = latest();

        assertThatThrownBy(() -> store.append(any(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("events must not be empty");
        assertThatThrownBy(() -> store.append(any(), (List<Event>) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("events must not be empty");

        assertThat(latest()).isEqualTo(before);
    }

    @Test
    void mixedAggregatesAreRejectedAndNothingIsWritten() {
        String id = newId();
        String otherId = newId();
        List<Event> mixed = List.of(event("Order", id, "OrderPlaced"), event("Order", otherId, "OrderPlaced"));
        List<Event> mixedTypes = List.of(event("Order", id, "OrderPlaced"), event("Invoice", id, "InvoiceRaised"));

        assertThatThrownBy(() -> store.append(noStream(), mixed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one aggregate").hasMessageContaining(otherId);
        assertThatThrownBy(() -> store.append(noStream(), mixedTypes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invoice/" + id);

        assertThat(store.readAggregateStream("Order", id).isEmpty()).isTrue();
        assertThat(store.readAggregateStream("Order", otherId).isEmpty()).isTrue();
    }

    @Test
    void aRepeatedEventIdWithinOneBatchIsRejected() {
        String id = newId();
        UUID eventId = UUID.randomUUID();
        List<Event> batch = List.of(
                Event.builder("Order", id, "A").eventId(eventId).build(),
                Event.builder("Order", id, "B").eventId(eventId).build());

        assertThatThrownBy(() -> store.append(noStream(), batch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("distinct eventIds").hasMessageContaining(eventId.toString());
        assertThat(store.readAggregateStream("Order", id).isEmpty()).isTrue();
    }

    @Test
    void aStoredEventIdIsRejectedAsDuplicateAndNothingIsWritten() throws SQLException {
        Event original = event("Order", newId(), "OrderPlaced");
        store.append(noStream(), original);
        connection.commit();
        String otherId = newId();
        Event resent = Event.builder("Order", otherId, "OrderPlaced").eventId(original.eventId()).build();

        assertThatThrownBy(() -> store.append(noStream(), resent))
                .isInstanceOfSatisfying(DuplicateEventIdException.class,
                        e -> assertThat(e.eventId()).isEqualTo(original.eventId()))
                .hasMessageContaining(original.eventId().toString());
        connection.rollback();

        assertThat(countEventId(original.eventId())).isEqualTo(1);
        assertThat(store.readAggregateStream("Order", otherId).isEmpty()).isTrue();
        assertThat(headVersion("Order", otherId)).isZero();
    }

    @Test
    void nullExpectedVersionIsRejected() {
        assertThatThrownBy(() -> store.append(null, event("Order", newId(), "OrderPlaced")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expectedVersion");
    }

    @Test
    void everyFieldRoundTrips() throws SQLException {
        String id = newId();
        byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0xfe, 10, 13};
        Event full = Event.builder("Order", id, "OrderPlaced")
                .eventVersion(3)
                .payload(binary)
                .metadata("{\"tenant\": \"acme\", \"user\": {\"id\": 7}}")
                .createdAt(Instant.parse("2024-02-29T12:34:56.123456789Z"))
                .traceId("trace-1").correlationId("corr-1").causationId("cause-1")
                .build();

        AppendResult result = store.append(noStream(), full);
        connection.commit();

        PersistedEvent read = store.readAggregateStream("Order", id).events().get(0);
        assertThat(read).isEqualTo(result.events().get(0));
        assertThat(read.payload()).containsExactly(binary);
        assertThat(read.eventVersion()).isEqualTo(3);
        assertThat(read.createdAt()).isEqualTo(Instant.parse("2024-02-29T12:34:56.123456Z"));
        assertThat(read.traceId()).isEqualTo("trace-1");
        assertThat(read.correlationId()).isEqualTo("corr-1");
        assertThat(read.causationId()).isEqualTo("cause-1");
        assertThat(read.metadataAsString()).contains("\"tenant\": \"acme\"");
    }

    @Test
    void metadataThatIsNotValidJsonIsRejectedByTheDatabaseAndNothingIsWritten() throws SQLException {
        String id = newId();
        Event broken = Event.builder("Order", id, "OrderPlaced").metadata("{not json}").build();

        assertThatThrownBy(() -> store.append(noStream(), broken))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata");
        connection.rollback();

        assertThat(countEventId(broken.eventId())).isZero();
        assertThat(headVersion("Order", id)).isZero();
    }

    @Test
    void appendIsAtomicEvenInAutoCommitMode() throws SQLException {
        String id = newId();
        Event stored = event("Order", newId(), "OrderPlaced");
        try (Connection autoCommit = schema.connect()) {
            EventStore autoStore = STORE.on(autoCommit);
            autoStore.append(noStream(), stored);
            List<Event> batch = new ArrayList<>(events("Order", id, 5));
            batch.add(Event.builder("Order", id, "Duplicate").eventId(stored.eventId()).build());

            assertThatThrownBy(() -> autoStore.append(noStream(), batch)).isInstanceOf(DuplicateEventIdException.class);

            assertThat(autoStore.readAggregateStream("Order", id).isEmpty()).isTrue();
        }
        assertThat(headVersion("Order", id)).isZero();
    }

    @Test
    void theStoreNeverCommitsTheCallersTransaction() throws SQLException {
        String id = newId();
        store.append(noStream(), events("Order", id, 2));

        try (Connection other = schema.connect()) {
            assertThat(STORE.on(other).readAggregateStream("Order", id).isEmpty()).isTrue();
        }
        connection.commit();
        try (Connection other = schema.connect()) {
            assertThat(STORE.on(other).readAggregateStream("Order", id).size()).isEqualTo(2);
        }
    }

    private long latest() {
        try (Connection other = schema.connect()) {
            return STORE.on(other).latestGlobalPosition();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long countEventId(UUID eventId) throws SQLException {
        try (Connection other = schema.connect();
             PreparedStatement query = other.prepareStatement("SELECT count(*) FROM events WHERE event_id = ?")) {
            query.setObject(1, eventId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private long headVersion(String type, String id) throws SQLException {
        try (Connection other = schema.connect();
             PreparedStatement query = other.prepareStatement(
                     "SELECT aggregate_version FROM aggregate_heads WHERE aggregate_type = ? AND aggregate_id = ?")) {
            query.setString(1, type);
            query.setString(2, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    /**
     * A single event and small batches bind plain parameters, larger batches arrays (the limit is 32 events): every
     * form writes the same rows, with each expectation, and returns what a read gives back.
     */
    @ParameterizedTest(name = "batches of {0}")
    @ValueSource(ints = {1, 2, 32, 33})
    void everyBatchSizeAppendsWithEachExpectationAndReturnsWhatIsRead(int size) {
        String id = newId();
        List<PersistedEvent> written = new ArrayList<>();
        AppendResult created = store.append(noStream(), batchOf(id, size, 0));
        written.addAll(created.events());
        written.addAll(store.append(exact(size), batchOf(id, size, size)).events());
        AppendResult last = store.append(any(), batchOf(id, size, 2 * size));
        written.addAll(last.events());

        assertThat(created.fromVersion()).isZero();
        assertThat(created.toVersion()).isEqualTo(size);
        assertThat(last.toVersion()).isEqualTo(3L * size);
        assertThat(written).extracting(PersistedEvent::aggregateVersion)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 3L * size).boxed().toList());
        assertThat(written).extracting(PersistedEvent::globalPosition).isSorted().doesNotHaveDuplicates();
        assertThat(store.readAggregateStream("Order", id).events()).isEqualTo(written);
        assertThatThrownBy(() -> store.append(exact(size), batchOf(id, size, 3 * size)))
                .isInstanceOf(OptimisticConcurrencyException.class);
    }

    /** Events whose every field differs, metadata written unnormalised, every other one with a topic. */
    private static List<Event> batchOf(String id, int size, int offset) {
        List<Event> batch = new ArrayList<>();
        for (int i = offset + 1; i <= offset + size; i++) {
            batch.add(Event.builder("Order", id, i % 2 == 0 ? "OrderLineAdded" : "OrderLinePriced")
                    .eventVersion(1 + i % 3)
                    .jsonPayload("{\"line\": " + i + "}")
                    .metadata("{ \"n\" : " + i + ", \"tenant\":\"acme\" }")
                    .traceId(i % 3 == 0 ? null : "trace-" + i)
                    .correlationId("correlation-" + i)
                    .causationId(i % 2 == 0 ? "cause-" + i : null)
                    .createdAt(Instant.parse("2026-11-29T10:00:00Z").plusMillis(i))
                    .topic(i % 2 == 0 ? "order.line.added" : null)
                    .build());
        }
        return batch;
    }
}

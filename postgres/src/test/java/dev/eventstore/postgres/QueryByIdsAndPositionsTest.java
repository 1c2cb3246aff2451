package dev.eventstore.postgres;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.query.EventQuery;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The position range and the id filters of {@link EventQuery}: in query, count and stream alike. */
class QueryByIdsAndPositionsTest {

    private static final PostgresEventStore STORE = PostgresEventStore.create(TestDatabase.layout(StoreConfig.defaults()));
    private static final List<PersistedEvent> WRITTEN = new ArrayList<>();
    private static TestSchema schema;

    private Connection connection;
    private EventStore store;

    @BeforeAll
    static void createData() throws SQLException {
        schema = TestDatabase.get().createSchema(TestDatabase.layout(StoreConfig.defaults()));
        try (Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);
            for (int i = 1; i <= 6; i++) {
                Event event = Event.builder("Order", "o" + (i % 2), "Happened")
                        .correlationId(i <= 3 ? "checkout-1" : "checkout-2")
                        .causationId(i == 1 ? null : "cause-" + (i - 1))
                        .build();
                store.append(ExpectedVersion.any(), event);
            }
            WRITTEN.addAll(store.query(EventQuery.all()));
        }
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    @BeforeEach
    void open() throws SQLException {
        connection = schema.connect();
        store = STORE.on(connection);
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private static long position(int index) {
        return WRITTEN.get(index).globalPosition();
    }

    @Test
    void positionRangeIsInclusiveAtBothEndsAndCountedByCount() {
        EventQuery query = EventQuery.builder().positionsBetween(position(1), position(3)).build();

        assertThat(store.query(query)).extracting(PersistedEvent::globalPosition)
                .containsExactly(position(1), position(2), position(3));
        assertThat(store.count(query)).isEqualTo(3);
    }

    @Test
    void positionRangeCombinesWithKeysetPaging() {
        EventQuery query = EventQuery.builder().positionsBetween(position(0), position(4)).limit(2).build();

        List<PersistedEvent> first = store.query(query);
        List<PersistedEvent> second = store.query(query.continueAfter(first.get(1)));
        List<PersistedEvent> third = store.query(query.continueAfter(second.get(1)));

        assertThat(first).extracting(PersistedEvent::globalPosition).containsExactly(position(0), position(1));
        assertThat(second).extracting(PersistedEvent::globalPosition).containsExactly(position(2), position(3));
        assertThat(third).extracting(PersistedEvent::globalPosition).containsExactly(position(4));
    }

    @Test
    void eventIdFindsExactlyThatEvent() {
        UUID id = WRITTEN.get(2).eventId();

        assertThat(store.query(EventQuery.builder().eventId(id).build())).extracting(PersistedEvent::eventId)
                .containsExactly(id);
        assertThat(store.count(EventQuery.builder().eventId(UUID.randomUUID()).build())).isZero();
    }

    @Test
    void correlationAndCausationIdsMatchExactly() throws SQLException {
        assertThat(store.count(EventQuery.builder().correlationId("checkout-1").build())).isEqualTo(3);
        assertThat(store.query(EventQuery.builder().causationId("cause-4").build()))
                .extracting(PersistedEvent::globalPosition).containsExactly(position(4));
        assertThat(store.count(EventQuery.builder().correlationId("checkout").build())).isZero();
        connection.setAutoCommit(false);
        try (var events = store.stream(EventQuery.builder().correlationId("checkout-2").positionTo(position(4))
                .build())) {
            assertThat(events.map(PersistedEvent::globalPosition)).containsExactly(position(3), position(4));
        }
        connection.rollback();
    }

    @Test
    void badRangesAndIdsAreRejectedNamingTheField() {
        assertThatThrownBy(() -> EventQuery.builder().positionsBetween(5, 4).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positionFrom must not be greater");
        assertThatThrownBy(() -> EventQuery.builder().positionFrom(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positionFrom must be >= 1");
        assertThatThrownBy(() -> EventQuery.builder().correlationId(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("correlationId must not be blank");
        assertThatThrownBy(() -> EventQuery.builder().eventId(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventId must not be null");
    }

    @Test
    void theNewFiltersTakePartInEqualityAndToBuilder() {
        EventQuery query = EventQuery.builder().positionsBetween(1, 9).correlationId("c").causationId("k")
                .eventId(WRITTEN.get(0).eventId()).build();

        assertThat(query.toBuilder().build()).isEqualTo(query).hasSameHashCodeAs(query);
        assertThat(query.toString()).contains("positionFrom=1", "positionTo=9", "correlationId=c", "causationId=k");
        assertThat(EventQuery.builder().positionFrom(1).build()).isNotEqualTo(EventQuery.all());
    }
}

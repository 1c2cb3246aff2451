package dev.eventstore.postgres;

import dev.eventstore.AggregateStream;
import dev.eventstore.EventStore;
import dev.eventstore.PersistedEvent;
import dev.eventstore.VersionRange;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static dev.eventstore.ExpectedVersion.noStream;
import static dev.eventstore.postgres.StoreFixture.events;
import static dev.eventstore.postgres.StoreFixture.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads on a schema of its own, so global-log assertions see exactly the events written here. */
class ReadTest {

    private static final PostgresEventStore STORE = PostgresEventStore.create(TestDatabase.layout(StoreConfig.defaults()));
    private static TestSchema schema;
    private static Connection connection;
    private static EventStore store;
    private static String orderId;
    private static String otherId;

    @BeforeAll
    static void writeTwoStreams() throws SQLException {
        schema = TestDatabase.get().createSchema(TestDatabase.layout(StoreConfig.defaults()));
        connection = schema.connect();
        store = STORE.on(connection);
        assertThat(store.latestGlobalPosition()).isZero();
        assertThat(store.readEvents(0, 10)).isEmpty();
        orderId = newId();
        otherId = newId();
        store.append(noStream(), events("Order", orderId, 3));
        store.append(noStream(), events("Invoice", otherId, 2));
        store.append(dev.eventstore.ExpectedVersion.exact(3), events("Order", orderId, 2));
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        connection.close();
        schema.close();
    }

    @Test
    void unboundedReadReturnsTheWholeStreamInVersionOrder() {
        AggregateStream stream = store.readAggregateStream("Order", orderId);

        assertThat(stream.aggregateType()).isEqualTo("Order");
        assertThat(stream.aggregateId()).isEqualTo(orderId);
        assertThat(versions(stream)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(stream.version()).isEqualTo(5);
        assertThat(stream.size()).isEqualTo(5);
    }

    @Test
    void fromBoundIsInclusive() {
        assertThat(versions(store.readAggregateStream("Order", orderId, VersionRange.from(4)))).containsExactly(4L, 5L);
    }

    @Test
    void toBoundIsInclusive() {
        assertThat(versions(store.readAggregateStream("Order", orderId, VersionRange.to(2)))).containsExactly(1L, 2L);
    }

    @Test
    void bothBoundsAreInclusive() {
        AggregateStream middle = store.readAggregateStream("Order", orderId, VersionRange.between(2, 4));

        assertThat(versions(middle)).containsExactly(2L, 3L, 4L);
        assertThat(middle.version()).isEqualTo(4);
        assertThat(versions(store.readAggregateStream("Order", orderId, VersionRange.between(3, 3))))
                .containsExactly(3L);
    }

    @Test
    void boundsBeyondTheEndGiveWhatExistsOrNothing() {
        assertThat(versions(store.readAggregateStream("Order", orderId, VersionRange.between(4, 99))))
                .containsExactly(4L, 5L);
        AggregateStream beyond = store.readAggregateStream("Order", orderId, VersionRange.from(6));
        assertThat(beyond.isEmpty()).isTrue();
        assertThat(beyond.version()).isZero();
    }

    @Test
    void aRangeWhoseFromExceedsItsToReadsAsAnEmptyStream() {
        AggregateStream inverted = store.readAggregateStream("Order", orderId, VersionRange.between(4, 2));

        assertThat(inverted.isEmpty()).isTrue();
        assertThat(inverted.version()).isZero();
        assertThat(inverted.aggregateId()).isEqualTo(orderId);
        assertThat(store.readAggregateStream("Order", orderId, VersionRange.to(0)).isEmpty()).isTrue();
    }

    @Test
    void aRangeFromZeroReadsLikeARangeFromOne() {
        assertThat(versions(store.readAggregateStream("Order", orderId, VersionRange.between(0, 2))))
                .containsExactly(1L, 2L);
    }

    @Test
    void unknownAggregateReadsAsAnEmptyStream() {
        AggregateStream missing = store.readAggregateStream("Order", newId());

        assertThat(missing.isEmpty()).isTrue();
        assertThat(missing.version()).isZero();
    }

    @Test
    void aggregateTypeIsPartOfTheIdentity() {
        assertThat(store.readAggregateStream("Invoice", orderId).isEmpty()).isTrue();
        assertThat(versions(store.readAggregateStream("Invoice", otherId))).containsExactly(1L, 2L);
    }

    @Test
    void invalidReadArgumentsAreRejected() {
        assertThatThrownBy(() -> store.readAggregateStream(" ", orderId))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aggregateType");
        assertThatThrownBy(() -> store.readAggregateStream("Order", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aggregateId");
        assertThatThrownBy(() -> store.readAggregateStream("Order", orderId, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VersionRange.all()");
        assertThatThrownBy(() -> store.readEvents(-1, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("afterPosition");
        assertThatThrownBy(() -> store.readEvents(0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit must be >= 0")
                .hasMessageContaining("-1");
    }

    @Test
    void readEventsWithALimitOfZeroReturnsAnEmptyList() {
        assertThat(store.readEvents(0, 0)).isEmpty();
        assertThat(store.readEvents(store.latestGlobalPosition(), 0)).isEmpty();
    }

    @Test
    void readEventsReturnsTheGlobalLogInPositionOrder() {
        List<PersistedEvent> all = store.readEvents(0, 100);

        assertThat(all).hasSize(7);
        assertThat(all).extracting(PersistedEvent::globalPosition).isSorted().doesNotHaveDuplicates();
        assertThat(all).extracting(PersistedEvent::aggregateType)
                .containsExactly("Order", "Order", "Order", "Invoice", "Invoice", "Order", "Order");
    }

    @Test
    void readEventsIsExclusiveOfTheGivenPositionAndHonoursTheLimit() {
        List<PersistedEvent> all = store.readEvents(0, 100);
        long third = all.get(2).globalPosition();

        List<PersistedEvent> page = store.readEvents(third, 2);

        assertThat(page).containsExactly(all.get(3), all.get(4));
        assertThat(store.readEvents(all.get(6).globalPosition(), 10)).isEmpty();
    }

    @Test
    void pagingThroughTheLogVisitsEveryEventOnce() {
        List<PersistedEvent> pages = new java.util.ArrayList<>();
        long after = 0;
        List<PersistedEvent> page;
        while (!(page = store.readEvents(after, 3)).isEmpty()) {
            pages.addAll(page);
            after = page.get(page.size() - 1).globalPosition();
        }

        assertThat(pages).isEqualTo(store.readEvents(0, 100));
    }

    @Test
    void latestGlobalPositionIsTheHighestVisiblePosition() {
        List<PersistedEvent> all = store.readEvents(0, 100);

        assertThat(store.latestGlobalPosition()).isEqualTo(all.get(all.size() - 1).globalPosition());
    }

    private static List<Long> versions(AggregateStream stream) {
        return stream.events().stream().map(PersistedEvent::aggregateVersion).toList();
    }
}

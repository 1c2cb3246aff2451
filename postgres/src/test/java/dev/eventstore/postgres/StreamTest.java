package dev.eventstore.postgres;

import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.query.EventQuery;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static dev.eventstore.postgres.StoreFixture.events;
import static dev.eventstore.postgres.StoreFixture.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link EventStore#stream}, and keyset paging while others append. */
class StreamTest {

    private static final PostgresEventStore STORE = PostgresEventStore.create(TestDatabase.layout(StoreConfig.defaults()));
    private static TestSchema schema;

    @BeforeAll
    static void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(TestDatabase.layout(StoreConfig.defaults()));
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    private static String seed(String aggregateType, int count) throws SQLException {
        String id = newId();
        try (Connection connection = schema.connect()) {
            STORE.on(connection).append(ExpectedVersion.noStream(), events(aggregateType, id, count));
        }
        return id;
    }

    @Test
    void streamDeliversEveryMatchingEventInOrderBeyondTheDefaultLimit() throws SQLException {
        seed("Streamed", 1_234);
        try (Connection connection = schema.begin();
             Stream<PersistedEvent> events = STORE.on(connection)
                     .stream(EventQuery.builder().aggregateType("Streamed").build())) {
            List<Long> versions = events.map(PersistedEvent::aggregateVersion).toList();

            assertThat(versions).hasSize(1_234).isSorted();
            assertThat(versions.get(0)).isEqualTo(1);
            connection.rollback();
        }
    }

    @Test
    void streamAppliesAnExplicitLimitAndOffset() throws SQLException {
        seed("Limited", 50);
        EventQuery query = EventQuery.builder().aggregateType("Limited").limit(10).offset(5).build();
        try (Connection connection = schema.begin(); Stream<PersistedEvent> events = STORE.on(connection)
                .stream(query)) {
            assertThat(events.map(PersistedEvent::aggregateVersion)).containsExactly(6L, 7L, 8L, 9L, 10L, 11L, 12L,
                    13L, 14L, 15L);
            connection.rollback();
        }
    }

    @Test
    void closingTheStreamReleasesItsCursor() throws SQLException {
        seed("Cursor", 2_000);
        try (Connection connection = schema.begin()) {
            Stream<PersistedEvent> events = STORE.on(connection)
                    .stream(EventQuery.builder().aggregateType("Cursor").build());
            assertThat(events.iterator().next().aggregateVersion()).isEqualTo(1);
            assertThat(openCursors(connection)).as("driver portal of the stream").isEqualTo(1);

            events.close();

            assertThat(openCursors(connection)).isZero();
            assertThatThrownBy(() -> events.iterator().next()).isInstanceOf(IllegalStateException.class);
            connection.rollback();
        }
    }

    @Test
    void streamInAutoCommitModeIsRefusedWithTheFix() throws SQLException {
        try (Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);

            assertThatThrownBy(() -> store.stream(EventQuery.all())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("auto-commit").hasMessageContaining("setAutoCommit(false)");
            assertThat(openCursors(connection)).isZero();
        }
    }

    @Test
    void aFailingConsumerStillReleasesTheCursorThroughTryWithResources() throws SQLException {
        seed("Failing", 1_000);
        try (Connection connection = schema.begin()) {
            assertThatThrownBy(() -> {
                try (Stream<PersistedEvent> events = STORE.on(connection)
                        .stream(EventQuery.builder().aggregateType("Failing").build())) {
                    events.forEach(event -> {
                        if (event.aggregateVersion() == 600) {
                            throw new IllegalStateException("consumer failed");
                        }
                    });
                }
            }).hasMessage("consumer failed");

            assertThat(openCursors(connection)).isZero();
            connection.rollback();
        }
    }

    private static long openCursors(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_cursors WHERE name <> ''")) {
            row.next();
            return row.getLong(1);
        }
    }

    @Test
    void keysetPagingWhileEventsAreAppendedHasNoDuplicatesAndNoGaps() throws Exception {
        String type = "Tick" + newId().substring(0, 8);
        seed(type, 300);
        AtomicBoolean stop = new AtomicBoolean();
        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(20);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<Integer> appended = writer.submit(() -> {
            int batches = 0;
            try (Connection connection = schema.connect()) {
                EventStore store = STORE.on(connection);
                while (!stop.get() && batches < 500) {
                    store.append(ExpectedVersion.any(), events(type, newId(), 3));
                    batches++;
                    writing.countDown();
                }
            }
            return batches;
        });
        // Page only once appends are under way, so the pages really interleave with them.
        assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
        List<PersistedEvent> paged = new ArrayList<>();
        try (Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);
            EventQuery query = EventQuery.builder().aggregateType(type).limit(7).build();
            List<PersistedEvent> page = store.query(query);
            while (!page.isEmpty() && paged.size() < 1_200) {
                paged.addAll(page);
                page = store.query(query.continueAfter(page.get(page.size() - 1)));
            }
        } finally {
            stop.set(true);
            assertThat(appended.get(30, TimeUnit.SECONDS)).isPositive();
            writer.shutdown();
        }

        long lastSeen = paged.get(paged.size() - 1).globalPosition();
        List<Long> expected;
        try (Connection connection = schema.connect()) {
            expected = STORE.on(connection).query(EventQuery.builder().aggregateType(type).limit(10_000).build())
                    .stream().map(PersistedEvent::globalPosition).filter(position -> position <= lastSeen).toList();
        }
        List<Long> positions = paged.stream().map(PersistedEvent::globalPosition).toList();
        Set<Long> distinct = new HashSet<>(positions);
        assertThat(distinct).hasSameSizeAs(positions);
        assertThat(positions).isSorted().containsExactlyElementsOf(expected);
        assertThat(positions.size()).isGreaterThan(300);
    }
}

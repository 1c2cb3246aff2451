package dev.eventstore.postgres;

import dev.eventstore.AppendResult;
import dev.eventstore.Event;
import dev.eventstore.EventConsumer;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.jobs.ReplayService;
import dev.eventstore.maintenance.RetentionRun;
import dev.eventstore.maintenance.RetentionScope;
import dev.eventstore.query.EventQuery;
import dev.eventstore.testing.Await;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Topics end to end: stored and read back with the event, filtered by topic patterns in query, count, stream, replay
 * and retention, combined with event-type filters. Labels name the events: "aggregateId:topic".
 */
class TopicTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final PostgresEventStore STORE = PostgresEventStore.create(TestDatabase.layout(StoreConfig.defaults()));
    private static final Map<UUID, String> LABELS = new HashMap<>();
    private static TestSchema schema;

    private Connection connection;
    private EventStore store;

    /** aggregateType, aggregateId, eventType, topic ("-" for none). Insertion order = global position order. */
    private static final String[][] DATA = {
            {"App", "a1", "app.registered", "app.lifecycle.registered"},
            {"App", "a1", "app.installed", "app.lifecycle.installed"},
            {"App", "a1", "app.settings.changed", "app.settings.updated"},
            {"App", "a2", "app.registered", "app.lifecycle"},
            {"App", "a2", "app.note", "-"},
            {"Hook", "h1", "hook.fired", "hook.triggered.order_created"},
            {"Hook", "h1", "hook.fired", "hook.triggered.user-updated"},
            {"Hook", "h1", "hook.fired", "hook.triggered.a.b"},
            {"Hook", "h1", "hook.fired", "hook.triggered"},
            {"Activity", "x1", "activity.seen", "activity.request.received"},
            {"Activity", "x1", "app.registered", "audit.app.lifecycle.registered"},
            {"Activity", "x1", "x", "APP.Lifecycle.REGISTERED"},
    };

    @BeforeAll
    static void createData() throws SQLException {
        schema = TestDatabase.get().createSchema(TestDatabase.layout(StoreConfig.defaults()));
        try (Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);
            for (int i = 0; i < DATA.length; i++) {
                String[] row = DATA[i];
                Event event = Event.builder(row[0], row[1], row[2]).createdAt(T0.plusSeconds(i))
                        .topic(row[3].equals("-") ? null : row[3]).build();
                store.append(ExpectedVersion.any(), event);
                LABELS.put(event.eventId(), row[1] + ":" + row[3]);
            }
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

    /** Only the fixed data set: other tests here append events of their own. */
    private static EventQuery.Builder dataSet() {
        return EventQuery.builder().aggregateTypes("App", "Hook", "Activity");
    }

    private List<String> topics(EventQuery.Builder query) {
        return store.query(query.aggregateTypes("App", "Hook", "Activity").build()).stream().map(event -> LABELS.get(event.eventId()).substring(3)).toList();
    }

    private List<String> topics(String... patterns) {
        return topics(EventQuery.builder().topics(patterns));
    }

    @Test
    void theTopicIsStoredAndReadBackByEveryRead() {
        String id = UUID.randomUUID().toString();
        AppendResult appended = store.append(ExpectedVersion.noStream(), List.of(
                Event.builder("Order", id, "OrderPlaced").topic("order.lifecycle.placed").build(),
                Event.builder("Order", id, "OrderNoted").build()));

        assertThat(appended.events()).extracting(PersistedEvent::topic).containsExactly("order.lifecycle.placed", null);
        assertThat(store.readAggregateStream("Order", id).events()).extracting(PersistedEvent::topic)
                .containsExactly("order.lifecycle.placed", null);
        long before = appended.events().get(0).globalPosition() - 1;
        assertThat(store.readEvents(before, 2)).extracting(PersistedEvent::topic)
                .containsExactly("order.lifecycle.placed", null);
        assertThat(store.query(EventQuery.builder().aggregateId(id).build())).extracting(PersistedEvent::event)
                .containsExactlyElementsOf(appended.events().stream().map(PersistedEvent::event).toList());
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"", " ", "order..placed", ".order", "order.", "order placed", "order.*", "order.#",
            "ordre.plac\u00e9", "order/placed", "order.(a|b)", "order.+"})
    void anEventWithAMalformedTopicIsRefusedAndNothingIsWritten(String topic) {
        String id = UUID.randomUUID().toString();

        assertThatThrownBy(() -> store.append(ExpectedVersion.any(), List.of(
                Event.builder("Order", id, "OrderPlaced").build(),
                Event.builder("Order", id, "OrderPlaced").topic(topic).build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic");

        assertThat(store.readAggregateStream("Order", id).isEmpty()).isTrue();
    }

    @Test
    void aTopicLongerThanARoutingKeyIsRefused() {
        String tooLong = "a".repeat(250) + ".bcdef";

        assertThatThrownBy(() -> Event.builder("Order", "o", "OrderPlaced").topic(tooLong).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 255");
    }

    @ParameterizedTest(name = "{0} matches {1}")
    @CsvSource(delimiter = ';', value = {
            "app.lifecycle.#;            app.lifecycle.registered,app.lifecycle.installed,app.lifecycle",
            "app.lifecycle.*;            app.lifecycle.registered,app.lifecycle.installed",
            "hook.triggered.*;           hook.triggered.order_created,hook.triggered.user-updated",
            "hook.triggered.#;           hook.triggered.order_created,hook.triggered.user-updated,hook.triggered.a.b,"
                    + "hook.triggered",
            "app.lifecycle.registered;   app.lifecycle.registered",
            "#.registered;               app.lifecycle.registered,audit.app.lifecycle.registered",
            "*.lifecycle.#;              app.lifecycle.registered,app.lifecycle.installed,app.lifecycle",
            "#.lifecycle.#;              app.lifecycle.registered,app.lifecycle.installed,app.lifecycle,"
                    + "audit.app.lifecycle.registered",
            "*;                          ''",
            "*.*;                        app.lifecycle,hook.triggered",
            "APP.Lifecycle.REGISTERED;   APP.Lifecycle.REGISTERED",
    })
    void topicPatternsFollowTheWordRulesAndAreCaseSensitive(String pattern, String expected) {
        List<String> found = topics(pattern.strip());

        assertThat(found).containsExactly(expected.isBlank() ? new String[0] : expected.strip().split(","));
    }

    @Test
    void hashMatchesEveryEventWithATopicAndNoneWithout() {
        assertThat(topics("#")).hasSize(DATA.length - 1).doesNotContain("-");
        assertThat(topics("#.#")).hasSize(DATA.length - 1);
    }

    @Test
    void severalTopicPatternsCombineWithOr() {
        assertThat(topics("app.lifecycle.#", "hook.triggered.*", "activity.request.received")).containsExactly(
                "app.lifecycle.registered", "app.lifecycle.installed", "app.lifecycle",
                "hook.triggered.order_created", "hook.triggered.user-updated", "activity.request.received");
    }

    @Test
    void eventTypesAndTopicsEachNarrowTheResult() {
        // Type app.registered: a1, a2 and x1. Topic #.lifecycle.#: a1 (twice), a2 and x1's audit topic. Both: the three.
        assertThat(topics(EventQuery.builder().eventTypes("app.registered").topics("#.lifecycle.#")))
                .containsExactly("app.lifecycle.registered", "app.lifecycle", "audit.app.lifecycle.registered");
        // A type pattern and an exact type (OR among themselves), then topics (OR among themselves), ANDed together.
        assertThat(topics(EventQuery.builder().eventTypes("hook.*", "app.installed")
                .topics("hook.triggered.*", "app.#")))
                .containsExactly("app.lifecycle.installed", "hook.triggered.order_created",
                        "hook.triggered.user-updated");
        assertThat(topics(EventQuery.builder().eventTypes("hook.#").topics("app.#"))).isEmpty();
        assertThat(topics(EventQuery.builder().topics("app.#").aggregateId("a2")))
                .containsExactly("app.lifecycle");
    }

    @Test
    void countAndStreamApplyTopicPatterns() throws SQLException {
        EventQuery query = dataSet().topics("hook.triggered.*").build();

        assertThat(store.count(query)).isEqualTo(2);
        assertThat(store.count(dataSet().topics("#").eventTypes("app.#").build())).isEqualTo(5);
        try (Connection transaction = schema.begin(); Stream<PersistedEvent> events = STORE.on(transaction)
                .stream(query)) {
            assertThat(events.map(PersistedEvent::topic))
                    .containsExactly("hook.triggered.order_created", "hook.triggered.user-updated");
        }
    }

    @Test
    void replayDeliversOnlyTheEventsOfTheTopicQuery() {
        List<String> replayed = new ArrayList<>();
        EventConsumer consumer = new EventConsumer() {
            @Override
            public String name() {
                return "topic-replay";
            }

            @Override
            public void handle(PersistedEvent event) {
                replayed.add(event.topic());
            }
        };

        ReplayService.builder().batchSize(2).build()
                .replay(store, dataSet().topics("app.lifecycle.#").build(), consumer);

        assertThat(replayed).containsExactly("app.lifecycle.registered", "app.lifecycle.installed", "app.lifecycle");
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"", "app..x", ".app", "app.", "app.*x", "app.x#", "app.(a|b)", "app.+", "a pp",
            "app.[a-z]", "app.\\d"})
    void malformedTopicPatternsAreRefusedBeforeAnySqlRuns(String pattern) {
        assertThatThrownBy(() -> EventQuery.builder().topics(pattern)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic");
        assertThatThrownBy(() -> RetentionScope.topics(pattern)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic");
    }

    @Test
    void retentionScopedByTopicDeletesOnlyMatchingEventsAndCombinesWithEventTypes() throws SQLException {
        String prefix = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String aggregateType = "Retained" + prefix;
        List<Event> events = List.of(
                Event.builder(aggregateType, "r1", "session.started").topic(prefix + ".session.started")
                        .createdAt(T0).build(),
                Event.builder(aggregateType, "r1", "session.ended").topic(prefix + ".session.ended")
                        .createdAt(T0).build(),
                Event.builder(aggregateType, "r1", "session.noted").createdAt(T0).build(),
                Event.builder(aggregateType, "r1", "order.placed").topic(prefix + ".order.placed")
                        .createdAt(T0).build());
        store.append(ExpectedVersion.noStream(), events);

        RetentionRun typesAndTopics = STORE.retentionOn(connection).deleteBefore(T0.plusSeconds(1),
                RetentionScope.topics(prefix + ".#").andEventTypes("session.*").andAggregateTypes(aggregateType));
        RetentionRun topicsOnly = STORE.retentionOn(connection).deleteBefore(T0.plusSeconds(1),
                RetentionScope.topics(prefix + ".order.*"));

        assertThat(typesAndTopics.eventsDeleted()).isEqualTo(2);
        assertThat(topicsOnly.eventsDeleted()).isEqualTo(1);
        assertThat(store.readAggregateStream(aggregateType, "r1").events()).extracting(PersistedEvent::eventType)
                .containsExactly("session.noted");
    }

    @Test
    void asynchronousProjectionsSeeTheTopicAndAdvanceTheirCheckpoint() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(schema.url());
        dataSource.setUser(schema.database().user());
        dataSource.setPassword(schema.database().password());
        List<String> seen = new ArrayList<>();
        String name = "topics-" + UUID.randomUUID();
        try (AsyncProjections projections = AsyncProjections.builder(dataSource, TestDatabase.layout(StoreConfig.defaults()))
                .register(name, Set.of("Hook"), (transaction, events) -> events.forEach(e -> seen.add(e.topic())))
                .build()) {
            Await.await(() -> {
                projections.drain();
                return seen.size() >= 4;
            }, "the projection saw the four Hook events");

            assertThat(seen).containsExactly("hook.triggered.order_created", "hook.triggered.user-updated",
                    "hook.triggered.a.b", "hook.triggered");
            assertThat(projections.drain()).isZero();
            assertThat(projections.status(name).caughtUp()).isTrue();
        }
    }

    @Test
    void exactTopicsAreServedByTheTopicIndex() throws SQLException {
        try (Connection explain = schema.begin(); Statement statement = explain.createStatement()) {
            statement.execute("SET LOCAL enable_seqscan = off");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rows = statement.executeQuery("EXPLAIN SELECT * FROM events"
                    + " WHERE topic = ANY('{app.lifecycle}'::text[]) ORDER BY global_position LIMIT 100")) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).containsPattern(QueryTest.PARTITION_OR_TABLE + "topic");
            explain.rollback();
        }
    }
}

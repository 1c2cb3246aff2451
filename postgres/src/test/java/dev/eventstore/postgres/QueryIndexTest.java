package dev.eventstore.postgres;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.migration.MigrationGenerator;
import dev.eventstore.query.EventQuery;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which optional query indexes the schema creates, and that queries answer the same without them. */
class QueryIndexTest {

    private static final Set<String> REQUIRED = Set.of("events_pkey", "events_event_id_key",
            "events_stream_version_key", "events_transaction_idx");

    @Test
    void theDefaultSchemaHasEveryQueryIndexAndTheTopicIndexSkipsEventsWithoutATopic() throws SQLException {
        try (TestSchema schema = TestDatabase.get().createSchema(StoreConfig.defaults())) {
            assertThat(indexes(schema)).containsExactlyInAnyOrderElementsOf(union(REQUIRED, Set.of(
                    "events_event_type_idx", "events_created_at_idx", "events_metadata_idx", "events_topic_idx")));
            assertThat(indexDefinition(schema, "events_topic_idx")).endsWith("WHERE (topic IS NOT NULL)");
        }
    }

    @Test
    void aSchemaWithoutQueryIndexesKeepsOnlyTheIndexesTheGuaranteesRestOn() throws SQLException {
        StoreConfig lean = StoreConfig.defaults().withoutQueryIndexes();
        try (TestSchema schema = TestDatabase.get().createSchema(lean)) {
            assertThat(indexes(schema)).containsExactlyInAnyOrderElementsOf(REQUIRED);
            // The topic column still comes with the schema; only its index is left out.
            assertThat(schema.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_schema = '"
                    + schema.name() + "' AND table_name = 'events' AND column_name = 'topic'")).isEqualTo(1);
        }
    }

    @Test
    void aChosenSubsetIsWhatTheSchemaCreatesAndRunningItAgainAddsNothing() throws SQLException {
        StoreConfig config = StoreConfig.defaults().withQueryIndexes(EnumSet.of(QueryIndex.EVENT_TYPE,
                QueryIndex.TOPIC));
        try (TestSchema schema = TestDatabase.get().createSchema(config);
             Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute(MigrationGenerator.schemaSql(config));
            assertThat(indexes(schema)).containsExactlyInAnyOrderElementsOf(union(REQUIRED,
                    Set.of("events_event_type_idx", "events_topic_idx")));
        }
    }

    @Test
    void queriesAnswerTheSameWithAndWithoutQueryIndexes() throws SQLException {
        List<EventQuery> queries = List.of(
                EventQuery.builder().eventTypes("OrderPlaced").build(),
                EventQuery.builder().topics("order.*").build(),
                EventQuery.builder().topics("order.placed", "payment.#").eventTypes("OrderPlaced", "x.*").build(),
                EventQuery.builder().metadataContains("{\"tenant\":\"acme\"}").build(),
                EventQuery.builder().createdBetween(Instant.parse("2026-01-02T00:00:00Z"),
                        Instant.parse("2026-01-04T00:00:00Z")).build(),
                EventQuery.builder().orderBy(EventQuery.OrderBy.CREATED_AT, EventQuery.Direction.DESCENDING)
                        .limit(3).build());
        List<List<String>> answers = new ArrayList<>();
        for (StoreConfig config : List.of(StoreConfig.defaults(), StoreConfig.defaults().withoutQueryIndexes())) {
            try (TestSchema schema = TestDatabase.get().createSchema(config); Connection connection = schema.begin()) {
                EventStore store = PostgresEventStore.create(config).on(connection);
                appendFixture(store);
                connection.commit();
                List<String> answer = new ArrayList<>();
                for (EventQuery query : queries) {
                    answer.add(query + " -> " + store.query(query).stream().map(PersistedEvent::aggregateId)
                            .toList() + ", count " + store.count(query));
                }
                connection.commit();
                answers.add(answer);
            }
        }
        assertThat(answers.get(1)).isEqualTo(answers.get(0));
        assertThat(answers.get(0).get(0)).endsWith("[o-1, o-3, o-5], count 3");
        assertThat(answers.get(0).get(1)).endsWith("[o-1, o-2, o-3, o-5], count 4");
        assertThat(answers.get(0).get(3)).endsWith("[o-2, o-4], count 2");
        assertThat(answers.get(0).get(4)).endsWith("[o-2, o-3], count 2");
    }

    @Test
    void configurationRefusesNullsAndCopiesTheSet() {
        assertThatThrownBy(() -> StoreConfig.defaults().withQueryIndexes(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty set for none");
        List<QueryIndex> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> StoreConfig.defaults().withQueryIndexes(withNull))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be null");
        Set<QueryIndex> chosen = EnumSet.of(QueryIndex.METADATA);
        StoreConfig config = StoreConfig.defaults().withQueryIndexes(chosen);
        chosen.add(QueryIndex.TOPIC);
        assertThat(config.queryIndexes()).containsExactly(QueryIndex.METADATA);
        assertThat(StoreConfig.defaults().queryIndexes()).containsExactlyInAnyOrder(QueryIndex.values());
        assertThat(StoreConfig.defaults().withEventsTable("e").withoutQueryIndexes().withHeadsTable("h")
                .queryIndexes()).isEmpty();
        assertThatThrownBy(() -> QueryIndex.parse("gin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event-type, created-at");
        assertThat(QueryIndex.parse(" Created-At ")).isEqualTo(QueryIndex.CREATED_AT);
    }

    /** Five orders over four days: types, topics, metadata and creation times differ. */
    private static void appendFixture(EventStore store) {
        append(store, "o-1", "OrderPlaced", "order.placed", "{}", "2026-01-01T10:00:00Z");
        append(store, "o-2", "OrderShipped", "order.shipped", "{\"tenant\":\"acme\"}", "2026-01-02T10:00:00Z");
        append(store, "o-3", "OrderPlaced", "order.placed", "{\"tenant\":\"other\"}", "2026-01-03T10:00:00Z");
        append(store, "o-4", "PaymentTaken", null, "{\"tenant\":\"acme\",\"x\":1}", "2026-01-04T10:00:00Z");
        append(store, "o-5", "OrderPlaced", "order.placed", "{}", "2026-01-05T10:00:00Z");
    }

    private static void append(EventStore store, String id, String type, String topic, String metadata,
                               String createdAt) {
        store.append(ExpectedVersion.noStream(), Event.builder("Order", id, type).topic(topic).metadata(metadata)
                .createdAt(Instant.parse(createdAt)).build());
    }

    private static Set<String> indexes(TestSchema schema) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT indexname FROM pg_indexes WHERE schemaname = '"
                     + schema.name() + "' AND tablename = 'events'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static String indexDefinition(TestSchema schema, String index) throws SQLException {
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement();
             var row = statement.executeQuery("SELECT indexdef FROM pg_indexes WHERE schemaname = '"
                     + schema.name() + "' AND indexname = '" + index + "'")) {
            row.next();
            return row.getString(1);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}

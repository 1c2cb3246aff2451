package dev.eventstore.postgres;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.query.EventQuery;
import dev.eventstore.query.EventQuery.Direction;
import dev.eventstore.query.EventQuery.OrderBy;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Filters, wildcard rules, order and paging of {@link EventStore#query}/{@link EventStore#count}, against a fixed
 * data set in a schema of its own. Labels name the events: "aggregateId:eventType".
 */
class QueryTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final PostgresEventStore STORE = PostgresEventStore.create(TestDatabase.layout(StoreConfig.defaults()));
    private static final Map<UUID, String> LABELS = new HashMap<>();
    private static TestSchema schema;

    private Connection connection;
    private EventStore store;

    /** aggregateType, aggregateId, eventType, minutes after T0, metadata. Insertion order = global position order. */
    private static final String[][] DATA = {
            {"Order", "o1", "order.placed", "0", "{\"tenant\":\"acme\",\"user\":\"ann\"}"},
            {"Order", "o1", "order.line.added", "1", "{\"tenant\":\"acme\"}"},
            {"Order", "o1", "order.line.removed", "2", "{\"tenant\":\"acme\"}"},
            {"Order", "o2", "order.placed", "-1", "{\"tenant\":\"globex\"}"},
            {"Order", "o2", "order.shipped", "4", "{\"tenant\":\"globex\",\"user\":\"bob\"}"},
            {"Customer", "c1", "customer.registered", "5", "{\"tenant\":\"acme\"}"},
            {"Customer", "c1", "order", "6", "{}"},
            {"Customer", "c1", "OrderPlaced", "7", "{}"},
            {"Payment", "p1", "pay.v1+2.done", "8", "{}"},
            {"Payment", "p1", "pay.v112.done", "8", "{}"},
            {"Payment", "p1", "orderXplaced", "9", "{}"},
            {"Payment", "p1", "audit.(a|b).x", "10", "{}"},
            {"Payment", "p1", "audit.a.x", "11", "{}"},
    };

    @BeforeAll
    static void createData() throws SQLException {
        schema = TestDatabase.get().createSchema(TestDatabase.layout(StoreConfig.defaults()));
        try (Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);
            for (String[] row : DATA) {
                Event event = Event.builder(row[0], row[1], row[2])
                        .createdAt(T0.plus(Duration.ofMinutes(Long.parseLong(row[3]))))
                        .metadata(row[4]).build();
                store.append(ExpectedVersion.any(), event);
                LABELS.put(event.eventId(), row[1] + ":" + row[2]);
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

    private static List<String> labels(List<PersistedEvent> events) {
        return events.stream().map(event -> LABELS.get(event.eventId())).toList();
    }

    private List<String> find(EventQuery.Builder query) {
        return labels(store.query(query.build()));
    }

    private List<String> types(String... patterns) {
        return find(EventQuery.builder().eventTypes(patterns)).stream().map(label -> label.substring(3)).toList();
    }

    @Test
    void emptyQueryReturnsEveryEventInGlobalPositionOrder() {
        List<PersistedEvent> events = store.query(EventQuery.all());

        assertThat(events).hasSize(DATA.length);
        assertThat(events).extracting(PersistedEvent::globalPosition).isSorted();
        assertThat(labels(events)).containsExactly(Arrays.stream(DATA).map(row -> row[1] + ":" + row[2])
                .toArray(String[]::new));
    }

    @Test
    void exactEventTypesMatchOnlyThoseNames() {
        assertThat(types("order.placed", "OrderPlaced")).containsExactly("order.placed", "order.placed",
                "OrderPlaced");
    }

    @Test
    void exactNamesWithRegexCharactersAreNotPatterns() {
        assertThat(types("pay.v1+2.done")).containsExactly("pay.v1+2.done");
        assertThat(types("audit.(a|b).x")).containsExactly("audit.(a|b).x");
    }

    @ParameterizedTest(name = "{0} matches {1}")
    @CsvSource(delimiter = ';', value = {
            "order.*;          order.placed,order.placed,order.shipped",
            "*;                order,OrderPlaced,orderXplaced",
            "*.*;              order.placed,order.placed,order.shipped,customer.registered",
            "order.#;          order.placed,order.line.added,order.line.removed,order.placed,order.shipped,order",
            "#.added;          order.line.added",
            "#.order;          order",
            "#.placed;         order.placed,order.placed",
            "order.#.added;    order.line.added",
            "order.#.placed;   order.placed,order.placed",
            "order.*.added;    order.line.added",
            "#.line.#;         order.line.added,order.line.removed",
            "#.#;              *",
            "#;                *",
            "pay.v1+2.*;       pay.v1+2.done",
            "audit.(a|b).*;    audit.(a|b).x",
            "*.v112.#;         pay.v112.done",
    })
    void wildcardPatternsFollowTheWordRules(String pattern, String expected) {
        List<String> found = types(pattern.strip());

        if (expected.strip().equals("*")) {
            assertThat(found).hasSize(DATA.length);
        } else {
            assertThat(found).containsExactly(expected.strip().split(","));
        }
    }

    @Test
    void starMatchesExactlyOneWordAndNeverCrossesADot() {
        assertThat(types("order.*")).doesNotContain("order.line.added", "order", "orderXplaced");
        assertThat(types("*.line")).isEmpty();
    }

    @Test
    void exactNamesAndPatternsCombineWithOr() {
        assertThat(types("OrderPlaced", "#.shipped")).containsExactly("order.shipped", "OrderPlaced");
    }

    @Test
    void aggregateTypeAndIdFilterExactly() {
        assertThat(find(EventQuery.builder().aggregateType("Order"))).hasSize(5);
        assertThat(find(EventQuery.builder().aggregateType("Order").aggregateId("o2")))
                .containsExactly("o2:order.placed", "o2:order.shipped");
        assertThat(find(EventQuery.builder().aggregateType("order"))).isEmpty();
    }

    @Test
    void severalAggregateTypesCombineWithOr() {
        assertThat(find(EventQuery.builder().aggregateTypes("Customer", "Order"))).hasSize(8);
        assertThat(find(EventQuery.builder().aggregateTypes("Customer", "Payment").eventTypes("order", "#.done")))
                .containsExactly("c1:order", "p1:pay.v1+2.done", "p1:pay.v112.done");
        assertThat(store.count(EventQuery.builder().aggregateTypes("Payment", "Nothing").build())).isEqualTo(5);
    }

    @Test
    void createdAtRangeIncludesTheStartAndExcludesTheEnd() {
        EventQuery.Builder query = EventQuery.builder()
                .createdBetween(T0.plus(Duration.ofMinutes(1)), T0.plus(Duration.ofMinutes(4)));

        assertThat(find(query)).containsExactly("o1:order.line.added", "o1:order.line.removed");
        assertThat(find(EventQuery.builder().createdBefore(T0))).containsExactly("o2:order.placed");
        assertThat(find(EventQuery.builder().createdFrom(T0.plus(Duration.ofMinutes(10)))))
                .containsExactly("p1:audit.(a|b).x", "p1:audit.a.x");
    }

    @Test
    void createdAtBoundsFinerThanMicrosecondsStayExact() {
        Instant justAfterT0 = T0.plusNanos(1);

        assertThat(find(EventQuery.builder().createdFrom(justAfterT0).createdBefore(T0.plus(Duration.ofMinutes(2)))))
                .containsExactly("o1:order.line.added");
        assertThat(find(EventQuery.builder().createdBefore(justAfterT0)))
                .containsExactly("o1:order.placed", "o2:order.placed");
    }

    @Test
    void metadataContainmentMatchesSubsetsOfTheMetadata() {
        assertThat(find(EventQuery.builder().metadataContains("{\"tenant\":\"acme\"}"))).containsExactly(
                "o1:order.placed", "o1:order.line.added", "o1:order.line.removed", "c1:customer.registered");
        assertThat(find(EventQuery.builder().metadataContains("{\"tenant\":\"acme\",\"user\":\"ann\"}")))
                .containsExactly("o1:order.placed");
        assertThat(find(EventQuery.builder().metadataContains("{\"user\":\"carol\"}"))).isEmpty();
    }

    @Test
    void filtersCombineWithAnd() {
        EventQuery.Builder query = EventQuery.builder()
                .eventTypes("order.#")
                .aggregateType("Order")
                .metadataContains("{\"tenant\":\"acme\"}")
                .createdFrom(T0.plus(Duration.ofMinutes(1)));

        assertThat(find(query)).containsExactly("o1:order.line.added", "o1:order.line.removed");
        assertThat(store.count(query.build())).isEqualTo(2);
    }

    @Test
    void ordersByCreatedAtThenPositionInEitherDirection() {
        List<String> ascending = find(EventQuery.builder().aggregateType("Payment")
                .orderBy(OrderBy.CREATED_AT, Direction.ASCENDING));
        List<String> descending = find(EventQuery.builder().aggregateType("Payment")
                .orderBy(OrderBy.CREATED_AT, Direction.DESCENDING));

        assertThat(ascending).containsExactly("p1:pay.v1+2.done", "p1:pay.v112.done", "p1:orderXplaced",
                "p1:audit.(a|b).x", "p1:audit.a.x");
        List<String> reversed = new java.util.ArrayList<>(ascending);
        java.util.Collections.reverse(reversed);
        assertThat(descending).containsExactlyElementsOf(reversed);
        assertThat(find(EventQuery.builder().aggregateType("Order").orderBy(OrderBy.CREATED_AT)).get(0))
                .isEqualTo("o2:order.placed");
    }

    @Test
    void ordersByGlobalPositionDescending() {
        List<PersistedEvent> events = store.query(EventQuery.builder()
                .orderBy(OrderBy.GLOBAL_POSITION, Direction.DESCENDING).limit(3).build());

        assertThat(labels(events)).containsExactly("p1:audit.a.x", "p1:audit.(a|b).x", "p1:orderXplaced");
    }

    @Test
    void limitAndOffsetPage() {
        assertThat(store.query(EventQuery.builder().limit(4).build())).hasSize(4);
        assertThat(find(EventQuery.builder().aggregateType("Order").limit(2).offset(1)))
                .containsExactly("o1:order.line.added", "o1:order.line.removed");
        assertThat(store.query(EventQuery.builder().offset(100).build())).isEmpty();
    }

    @Test
    void keysetContinuationWalksEveryOrderWithoutGapsOrRepeats() {
        for (OrderBy orderBy : OrderBy.values()) {
            for (Direction direction : Direction.values()) {
                EventQuery query = EventQuery.builder().orderBy(orderBy, direction).limit(3).build();
                List<String> all = labels(store.query(query.toBuilder().limit(100).build()));
                List<String> paged = new java.util.ArrayList<>();
                List<PersistedEvent> page = store.query(query);
                while (!page.isEmpty()) {
                    paged.addAll(labels(page));
                    page = store.query(query.continueAfter(page.get(page.size() - 1)));
                }
                assertThat(paged).as(orderBy + " " + direction).containsExactlyElementsOf(all).hasSize(DATA.length);
            }
        }
    }

    @Test
    void countIgnoresPagingButAppliesFilters() {
        EventQuery query = EventQuery.builder().aggregateType("Order").limit(1).offset(1).build();

        assertThat(store.count(query)).isEqualTo(5);
        assertThat(store.count(EventQuery.all())).isEqualTo(DATA.length);
        assertThat(store.count(EventQuery.builder().eventTypes("order.*").build())).isEqualTo(3);
    }

    @Test
    void resultsAreUnmodifiable() {
        List<PersistedEvent> events = store.query(EventQuery.all());

        assertThatThrownBy(() -> events.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void limitAboveTheQueryMaximumIsRejectedWithAHintToStream() {
        EventQuery query = EventQuery.builder().limit(EventStore.MAX_QUERY_LIMIT + 1).build();

        assertThatThrownBy(() -> store.query(query)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit must be <= " + EventStore.MAX_QUERY_LIMIT).hasMessageContaining("stream");
    }

    @Test
    void invalidMetadataJsonIsReportedAsBadInput() {
        EventQuery query = EventQuery.builder().metadataContains("{tenant: acme}").build();

        assertThatThrownBy(() -> store.query(query)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metadataContains must be valid JSON");
        assertThatThrownBy(() -> store.count(query)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metadataContains");
    }

    @Test
    void boundsBeyondWhatPostgresqlStoresMeanEverythingOrNothingInQueryCountAndStream() throws SQLException {
        List<EventQuery> everything = List.of(
                EventQuery.builder().createdFrom(Instant.MIN).build(),
                EventQuery.builder().createdBefore(Instant.MAX).build(),
                EventQuery.builder().createdBetween(Instant.MIN, Instant.MAX).build(),
                // the first instants PostgreSQL cannot hold, and instants it holds but a year 1 to 9999 store never has
                EventQuery.builder().createdBetween(Instant.parse("-4714-11-23T23:59:59.999999Z"),
                        Instant.parse("+294277-01-01T00:00:00Z")).build(),
                EventQuery.builder().createdBetween(Instant.parse("-1000-01-01T00:00:00Z"),
                        Instant.parse("+200000-01-01T00:00:00Z")).build());
        List<EventQuery> nothing = List.of(
                EventQuery.builder().createdFrom(Instant.MAX).build(),
                EventQuery.builder().createdBefore(Instant.MIN).build());
        try (Connection transaction = schema.begin()) {
            EventStore streaming = STORE.on(transaction);
            for (EventQuery query : everything) {
                assertThat(store.query(query)).as(query.toString()).hasSize(DATA.length);
                assertThat(store.count(query)).as(query.toString()).isEqualTo(DATA.length);
                try (Stream<PersistedEvent> events = streaming.stream(query)) {
                    assertThat(events.count()).as(query.toString()).isEqualTo(DATA.length);
                }
            }
            for (EventQuery query : nothing) {
                assertThat(store.query(query)).as(query.toString()).isEmpty();
                assertThat(store.count(query)).as(query.toString()).isZero();
                try (Stream<PersistedEvent> events = streaming.stream(query)) {
                    assertThat(events.count()).as(query.toString()).isZero();
                }
            }
            transaction.rollback();
        }
    }

    @Test
    void keysetContinuationsFromTheEndsOfTimeReturnEverythingOrNothing() {
        EventQuery.Builder ascending = EventQuery.builder().orderBy(OrderBy.CREATED_AT);
        EventQuery.Builder descending = EventQuery.builder().orderBy(OrderBy.CREATED_AT, Direction.DESCENDING);

        assertThat(store.query(ascending.after(Instant.MIN, 0).build())).hasSize(DATA.length);
        assertThat(store.query(ascending.after(Instant.MAX, 0).build())).isEmpty();
        assertThat(store.query(descending.after(Instant.MAX, 0).build())).hasSize(DATA.length);
        assertThat(store.query(descending.after(Instant.MIN, 0).build())).isEmpty();
    }

    @Test
    void nullQueryIsRejected() {
        assertThatThrownBy(() -> store.query(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("query must not be null");
        assertThatThrownBy(() -> store.count(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.stream(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exactEventTypesAndMetadataAreServedByTheirIndexes() throws SQLException {
        try (Connection explain = schema.begin(); Statement statement = explain.createStatement()) {
            statement.execute("SET LOCAL enable_seqscan = off");
            assertThat(plan(statement, "SELECT * FROM events WHERE event_type = ANY('{order.placed}'::text[])"
                    + " ORDER BY global_position LIMIT 100")).containsPattern(PARTITION_OR_TABLE + "event_type");
            assertThat(plan(statement, "SELECT * FROM events WHERE metadata @> '{\"tenant\":\"acme\"}'::jsonb"))
                    .containsPattern(PARTITION_OR_TABLE + "metadata_idx");
            explain.rollback();
        }
    }

    /** The index of the table, or on the partitioned layout the index PostgreSQL made for it on each partition. */
    static final String PARTITION_OR_TABLE = "events_(p[0-9]+_)?";

    private static String plan(Statement statement, String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rows = statement.executeQuery("EXPLAIN " + sql)) {
            while (rows.next()) {
                plan.append(rows.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}

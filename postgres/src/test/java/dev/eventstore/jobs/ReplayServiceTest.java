package dev.eventstore.jobs;

import dev.eventstore.Event;
import dev.eventstore.EventConsumer;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.ScopedEventConsumer;
import dev.eventstore.maintenance.ReplayFailedException;
import dev.eventstore.maintenance.ReplayFigures;
import dev.eventstore.maintenance.ReplayResult;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
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
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Replaying into a handler in keyset batches, with and without continue-on-error, and the figures it keeps. */
class ReplayServiceTest {

    private static final PostgresEventStore STORE = PostgresEventStore.create(TestDatabase.layout(StoreConfig.defaults()));
    private static TestSchema schema;

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
        connection = schema.connect();
        store = STORE.on(connection);
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    /** A new aggregate type with {@code count} events: even versions "item.added", odd versions "item.removed". */
    private String seed(int count) {
        String type = "Cart" + UUID.randomUUID().toString().substring(0, 8);
        List<Event> events = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            events.add(Event.builder(type, "cart-1", i % 2 == 0 ? "item.added" : "item.removed")
                    .jsonPayload("{\"i\":" + i + "}").build());
        }
        store.append(ExpectedVersion.noStream(), events);
        return type;
    }

    /**
     * Appends {@code rounds} rounds of one event to each of the given fresh aggregate types in turn, so their events
     * interleave in the log, and returns the position before the first.
     */
    private long interleave(int rounds, String... types) {
        long before = store.latestGlobalPosition();
        for (int round = 1; round <= rounds; round++) {
            for (String type : types) {
                store.append(round == 1 ? ExpectedVersion.noStream() : ExpectedVersion.exact(round - 1),
                        Event.builder(type, "agg-1", "item.added").jsonPayload("{\"round\":" + round + "}")
                                .build());
            }
        }
        return before;
    }

    private static String freshType(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ScopedEventConsumer scoped(String name, Set<String> types, Consumer<PersistedEvent> body) {
        return new ScopedEventConsumer() {
            @Override
            public Set<String> aggregateTypes() {
                return types;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public void handle(PersistedEvent event) {
                body.accept(event);
            }
        };
    }

    private static EventConsumer handler(String name, Consumer<PersistedEvent> body) {
        return new EventConsumer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void handle(PersistedEvent event) {
                body.accept(event);
            }
        };
    }

    @Test
    void replaysEveryMatchingEventInPositionOrderAcrossBatches() {
        String type = seed(23);
        List<PersistedEvent> seen = new ArrayList<>();
        ReplayService replay = ReplayService.builder().batchSize(5).build();

        ReplayResult result = replay.replay(store, EventQuery.builder().aggregateType(type).build(),
                handler("collector", seen::add));

        assertThat(seen).hasSize(23).extracting(PersistedEvent::aggregateVersion).isSorted();
        assertThat(result.eventsReplayed()).isEqualTo(23);
        assertThat(result.failures()).isZero();
        assertThat(result.batches()).isEqualTo(5);
        assertThat(result.lastPosition()).isEqualTo(seen.get(22).globalPosition());
        assertThat(result.handler()).isEqualTo("collector");
    }

    @Test
    void replayAppliesFiltersStartPositionAndExplicitLimit() {
        String type = seed(20);
        List<PersistedEvent> all = store.query(EventQuery.builder().aggregateType(type).build());
        List<Long> seen = new ArrayList<>();
        EventQuery query = EventQuery.builder().aggregateType(type).eventTypes("item.added")
                .afterPosition(all.get(3).globalPosition()).limit(4).build();

        ReplayResult result = ReplayService.builder().batchSize(3).build()
                .replay(store, query, handler("partial", event -> seen.add(event.aggregateVersion())));

        assertThat(seen).containsExactly(6L, 8L, 10L, 12L);
        assertThat(result.eventsReplayed()).isEqualTo(4);
    }

    @Test
    void withoutContinueOnErrorTheFirstFailureStopsTheReplay() {
        String type = seed(10);
        List<Long> seen = new ArrayList<>();
        ReplayService replay = ReplayService.builder().batchSize(4).build();
        EventConsumer failingAtSix = handler("strict", event -> {
            if (event.aggregateVersion() == 6) {
                throw new IllegalStateException("cannot handle 6");
            }
            seen.add(event.aggregateVersion());
        });

        assertThatThrownBy(() -> replay.replay(store, EventQuery.builder().aggregateType(type).build(), failingAtSix))
                .isInstanceOfSatisfying(ReplayFailedException.class, failure -> {
                    assertThat(failure.result().eventsReplayed()).isEqualTo(5);
                    assertThat(failure.result().failures()).isEqualTo(1);
                    assertThat(failure.getMessage()).contains("'strict'").contains("cannot handle 6");
                    assertThat(failure.getCause()).hasMessage("cannot handle 6");
                });
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L);
        ReplayFigures figures = replay.figures();
        assertThat(figures.runs()).isEqualTo(1);
        assertThat(figures.failures()).isEqualTo(1);
        assertThat(figures.lastCount()).isEqualTo(5);
    }

    @Test
    void withContinueOnErrorFailuresAreSkippedCountedAndListed() {
        String type = seed(12);
        List<Long> seen = new ArrayList<>();
        ReplayService replay = ReplayService.builder().batchSize(5).continueOnError(true).build();
        EventConsumer failingOnMultiplesOfFive = handler("lenient", event -> {
            if (event.aggregateVersion() % 5 == 0) {
                throw new IllegalStateException("bad " + event.aggregateVersion());
            }
            seen.add(event.aggregateVersion());
        });

        ReplayResult result = replay.replay(store, EventQuery.builder().aggregateType(type).build(),
                failingOnMultiplesOfFive);

        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 11L, 12L);
        assertThat(result.eventsReplayed()).isEqualTo(10);
        assertThat(result.failures()).isEqualTo(2);
        assertThat(result.eventsRead()).isEqualTo(12);
        List<PersistedEvent> all = store.query(EventQuery.builder().aggregateType(type).build());
        assertThat(result.failedPositions()).containsExactly(all.get(4).globalPosition(),
                all.get(9).globalPosition());
    }

    @Test
    void figuresAccumulateOverRuns() {
        String type = seed(7);
        ReplayService replay = ReplayService.builder().batchSize(2).build();
        EventQuery query = EventQuery.builder().aggregateType(type).build();
        assertThat(replay.figures()).isEqualTo(ReplayFigures.NONE);

        replay.replay(store, query, handler("one", event -> { }));
        replay.replay(store, query.toBuilder().eventTypes("item.added").build(), handler("two", event -> { }));

        ReplayFigures figures = replay.figures();
        assertThat(figures.runs()).isEqualTo(2);
        assertThat(figures.eventsReplayed()).isEqualTo(10);
        assertThat(figures.lastCount()).isEqualTo(3);
        assertThat(figures.failures()).isZero();
        assertThat(figures.lastRunAt()).isNotNull();
    }

    @Test
    void aScopedConsumerReceivesOnlyItsAggregateTypesInPositionOrder() {
        String orders = freshType("Order");
        String invoices = freshType("Invoice");
        String carts = freshType("Cart");
        long start = interleave(3, orders, invoices, carts);
        List<PersistedEvent> seen = new ArrayList<>();
        ReplayService replay = ReplayService.builder().batchSize(3).build();

        ReplayResult result = replay.replay(store, EventQuery.builder().afterPosition(start).build(),
                scoped("orders-and-carts", Set.of(orders, carts), seen::add));

        assertThat(seen).extracting(PersistedEvent::aggregateType)
                .containsExactly(orders, carts, orders, carts, orders, carts);
        assertThat(seen).extracting(PersistedEvent::globalPosition).isSorted();
        assertThat(result.eventsReplayed()).isEqualTo(6);
        assertThat(result.eventsRead()).isEqualTo(6);
        assertThat(result.lastPosition()).isEqualTo(seen.get(5).globalPosition());
        assertThat(result.batches()).as("two full batches of its own types, then an empty one: the other types are"
                + " never read").isEqualTo(3);
        assertThat(replay.figures().eventsReplayed()).isEqualTo(6);
        assertThat(replay.figures().lastCount()).isEqualTo(6);
    }

    @Test
    void aScopedConsumersLimitCountsOnlyEventsOfItsTypes() {
        String orders = freshType("Order");
        String invoices = freshType("Invoice");
        long start = interleave(4, invoices, orders);
        List<PersistedEvent> seen = new ArrayList<>();

        ReplayResult result = ReplayService.builder().batchSize(2).build().replay(store,
                EventQuery.builder().afterPosition(start).limit(3).build(),
                scoped("three-orders", Set.of(orders), seen::add));

        assertThat(seen).extracting(PersistedEvent::aggregateType).containsExactly(orders, orders, orders);
        assertThat(seen).extracting(PersistedEvent::aggregateVersion).containsExactly(1L, 2L, 3L);
        assertThat(result.eventsReplayed()).isEqualTo(3);
    }

    @Test
    void aScopedConsumerWithNoTypesReceivesEverythingTheQueryMatches() {
        String orders = freshType("Order");
        String invoices = freshType("Invoice");
        long start = interleave(2, orders, invoices);
        List<String> seen = new ArrayList<>();

        ReplayResult result = ReplayService.builder().build().replay(store,
                EventQuery.builder().afterPosition(start).build(),
                scoped("everything", Set.of(), event -> seen.add(event.aggregateType())));

        assertThat(seen).containsExactly(orders, invoices, orders, invoices);
        assertThat(result.eventsReplayed()).isEqualTo(4);
    }

    @Test
    void whenTheQueryNamesAnotherAggregateTypeAScopedConsumerReceivesNothingAndNothingIsRead() {
        String orders = freshType("Order");
        String invoices = freshType("Invoice");
        interleave(2, orders, invoices);
        List<PersistedEvent> seen = new ArrayList<>();
        ReplayService replay = ReplayService.builder().build();

        ReplayResult result = replay.replay(store, EventQuery.builder().aggregateType(invoices).build(),
                scoped("orders", Set.of(orders), seen::add));

        assertThat(seen).isEmpty();
        assertThat(result.eventsReplayed()).isZero();
        assertThat(result.batches()).isZero();
        assertThat(replay.figures().runs()).isEqualTo(1);
        assertThat(replay.figures().lastCount()).isZero();
    }

    @Test
    void theQuerysAggregateTypeAndTheConsumersScopeIntersect() {
        String orders = freshType("Order");
        String invoices = freshType("Invoice");
        interleave(2, orders, invoices);
        List<String> seen = new ArrayList<>();

        ReplayResult result = ReplayService.builder().build().replay(store,
                EventQuery.builder().aggregateType(orders).build(),
                scoped("orders-and-invoices", Set.of(orders, invoices), event -> seen.add(event.aggregateType())));

        assertThat(seen).containsExactly(orders, orders);
        assertThat(result.eventsReplayed()).isEqualTo(2);
    }

    @Test
    void severalQueryAggregateTypesIntersectWithTheConsumersScope() {
        String orders = freshType("Order");
        String invoices = freshType("Invoice");
        String carts = freshType("Cart");
        long start = interleave(2, orders, invoices, carts);
        List<String> seen = new ArrayList<>();

        ReplayService.builder().build().replay(store,
                EventQuery.builder().aggregateTypes(orders, invoices).afterPosition(start).build(),
                scoped("invoices-and-carts", Set.of(invoices, carts), event -> seen.add(event.aggregateType())));

        assertThat(seen).containsExactly(invoices, invoices);
    }

    @Test
    void aScopedConsumerMustNotReturnNullTypes() {
        assertThatThrownBy(() -> ReplayService.builder().build().replay(store, EventQuery.all(),
                scoped("broken", null, event -> { })))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aggregateTypes() of handler 'broken' must not return null")
                .hasMessageContaining("empty set");
    }

    @Test
    void aScopedConsumerWhoseTypesNoEventCanHoldIsRejectedNamingTheHandlerAndTheRule() {
        assertThatThrownBy(() -> ReplayService.builder().build().replay(store, EventQuery.all(),
                scoped("garbled", Set.of("Order\uD800"), event -> { })))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("aggregateTypes() of handler 'garbled' must hold valid aggregate types:")
                .hasMessageContaining("aggregateTypes contains an unpaired UTF-16 surrogate");
    }

    @Test
    void badInputIsRejectedWithMessagesNamingTheField() {
        ReplayService replay = ReplayService.builder().build();
        EventConsumer noop = handler("noop", event -> { });

        assertThatThrownBy(() -> replay.replay(store, EventQuery.builder()
                .orderBy(EventQuery.OrderBy.CREATED_AT).build(), noop)).hasMessageContaining("query order");
        assertThatThrownBy(() -> replay.replay(store, EventQuery.builder().offset(3).build(), noop))
                .hasMessageContaining("query offset must be 0");
        assertThatThrownBy(() -> replay.replay(null, EventQuery.all(), noop)).hasMessageContaining("store");
        assertThatThrownBy(() -> replay.replay(store, null, noop)).hasMessageContaining("query must not be null");
        assertThatThrownBy(() -> replay.replay(store, EventQuery.all(), null)).hasMessageContaining("handler");
        assertThatThrownBy(() -> ReplayService.builder().batchSize(0)).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> ReplayService.builder().batchSize(EventStore.MAX_QUERY_LIMIT + 1))
                .hasMessageContaining("batchSize");
        assertThat(replay.figures().runs()).isZero();
    }
}

package dev.eventstore.jobs;

import dev.eventstore.Event;
import dev.eventstore.EventConsumer;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
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
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Replaying into a handler in keyset batches, with and without continue-on-error, and the figures it keeps. */
class ReplayServiceTest {

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

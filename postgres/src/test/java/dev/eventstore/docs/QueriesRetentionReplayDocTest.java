package dev.eventstore.docs;

import dev.eventstore.Event;
import dev.eventstore.EventConsumer;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.ScopedEventConsumer;
import dev.eventstore.jobs.MetricsBinding;
import dev.eventstore.jobs.ReplayService;
import dev.eventstore.jobs.RetentionManager;
import dev.eventstore.maintenance.EventRetention;
import dev.eventstore.maintenance.ReplayResult;
import dev.eventstore.maintenance.RetentionScope;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.query.EventQuery;
import dev.eventstore.query.EventQuery.Direction;
import dev.eventstore.query.EventQuery.OrderBy;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The code blocks of docs/queries-retention-replay.md, run against PostgreSQL. Each test owns a schema, because the
 * documented code uses fixed names ({@code acme}, {@code Order}) rather than unique ones.
 */
class QueriesRetentionReplayDocTest {

    private static final StoreConfig CONFIG = StoreConfig.defaults();
    private static final PostgresEventStore STORE = PostgresEventStore.create(CONFIG);

    @Test
    void theQueryExampleFiltersPagesByContinuationAndCounts() throws SQLException {
        try (TestSchema schema = TestDatabase.get().createSchema(CONFIG); Connection connection = schema.begin()) {
            EventStore store = STORE.on(connection);
            Instant from = Instant.parse("2025-03-01T00:00:00Z");
            Instant before = Instant.parse("2025-04-01T00:00:00Z");
            for (int i = 0; i < 60; i++) {
                append(store, "Order", "order.placed", "acme", from.plusSeconds(i));
            }
            append(store, "Invoice", "order.invoiced", "acme", from.plusSeconds(100));     // matches
            append(store, "Order", "order.placed", "acme", before);                        // too late
            append(store, "Order", "order.placed", "globex", from);                        // other tenant
            append(store, "Invoice", "invoice.sent", "acme", from);                        // other event type
            append(store, "Customer", "CustomerRegistered", "acme", from);                 // other aggregate type

            // doc: query begins
            EventQuery query = EventQuery.builder()
                    .eventTypes("order.#", "CustomerRegistered")        // patterns and exact names
                    .aggregateTypes("Order", "Invoice")                  // any of them; .aggregateType("Order"), .aggregateId("o-42")
                    .createdBetween(from, before)                        // [from, before)
                    .metadataContains("{\"tenant\":\"acme\"}")           // JSONB @>, GIN index
                    .orderBy(OrderBy.CREATED_AT, Direction.DESCENDING)   // default GLOBAL_POSITION ASCENDING
                    .limit(50)                                           // default 100; query() accepts up to 10 000
                    .build();
            List<PersistedEvent> page = store.query(query);
            List<PersistedEvent> next = store.query(query.continueAfter(page.get(page.size() - 1)));
            long total = store.count(query);                             // ignores limit, offset and continuation
            // doc: query ends

            assertThat(page).hasSize(50);
            assertThat(page.get(0).eventType()).isEqualTo("order.invoiced");
            assertThat(next).hasSize(11);
            assertThat(next.get(next.size() - 1).createdAt()).isEqualTo(from);
            assertThat(total).isEqualTo(61);
        }
    }

    @Test
    void theStreamExampleHandsEveryMatchingEventToTheExporter() throws SQLException {
        try (TestSchema schema = TestDatabase.get().createSchema(CONFIG); Connection connection = schema.begin()) {
            EventStore store = STORE.on(connection);
            for (int i = 0; i < 3; i++) {
                append(store, "User", "audit.logged", "acme", Instant.now());
            }
            append(store, "User", "user.renamed", "acme", Instant.now());
            Exporter exporter = new Exporter();

            // doc: stream begins
            try (Stream<PersistedEvent> events = store.stream(EventQuery.builder().eventTypes("audit.#").build())) {
                events.forEach(exporter::write);
            }
            // doc: stream ends

            assertThat(exporter.written).hasSize(3).allMatch(e -> e.eventType().equals("audit.logged"));
        }
    }

    @Test
    void theRetentionExampleDeletesOnlyOldSessionsAndSchedulesTheManager() throws SQLException {
        try (TestSchema schema = TestDatabase.get().createSchema(CONFIG)) {
            Instant old = Instant.now().minus(Duration.ofDays(400));
            try (Connection connection = schema.begin()) {
                EventStore store = STORE.on(connection);
                append(store, "WebSession", "session.started", "acme", old);                  // deleted
                append(store, "WebSession", "session.started", "acme", Instant.now());        // too recent
                append(store, "Order", "session.started", "acme", old);                       // other aggregate type
                append(store, "WebSession", "visit.counted", "acme", old);                    // other event type
                connection.commit();
            }
            StoreConfig config = CONFIG;
            PGSimpleDataSource nonJtaDataSource = dataSource(schema);
            ScheduledExecutorService scheduledExecutor = Executors.newSingleThreadScheduledExecutor();
            try {
                // doc: retention begins
                PostgresEventStore pg = PostgresEventStore.create(config);
                EventRetention retention = pg.retention(nonJtaDataSource);       // commits per batch (recommended)
                retention.deleteBefore(Instant.now().minus(Duration.ofDays(365)),
                        RetentionScope.eventTypes("session.#").andAggregateTypes("WebSession"));

                RetentionManager manager = RetentionManager.builder(retention)
                        .keep(Duration.ofDays(365)).interval(Duration.ofHours(1))
                        .scope(RetentionScope.aggregateTypes("WebSession")).build();
                manager.start(scheduledExecutor);            // in a server: a ManagedScheduledExecutorService
                manager.figures();                           // runs, failed runs, events deleted, last run time, duration, count
                // doc: retention ends

                assertThat(manager.isStarted()).isTrue();
                assertThat(manager.figures().runs()).isZero();   // the first run is an interval away
                manager.stop();
            } finally {
                scheduledExecutor.shutdownNow();
            }
            assertThat(schema.queryLong("SELECT count(*) FROM events")).isEqualTo(3);
            assertThat(schema.queryLong("SELECT count(*) FROM events WHERE aggregate_type = 'WebSession'"
                    + " AND event_type = 'session.started' AND created_at < now() - interval '365 days'")).isZero();
        }
    }

    @Test
    void theReplayExampleContinuesPastAFailingEventAndReportsIt() throws SQLException {
        try (TestSchema schema = TestDatabase.get().createSchema(CONFIG); Connection connection = schema.begin()) {
            EventStore store = STORE.on(connection);
            for (int i = 0; i < 3; i++) {
                append(store, "Order", "order.placed", "acme", Instant.now());
            }
            append(store, "Order", "order.corrupt", "acme", Instant.now());
            append(store, "Invoice", "invoice.sent", "acme", Instant.now());
            List<PersistedEvent> applied = new ArrayList<>();
            EventConsumer newProjection = consumer("order-overview-v2", event -> {
                if (event.eventType().equals("order.corrupt")) {
                    throw new IllegalStateException("cannot apply " + event.eventType());
                }
                applied.add(event);
            });

            // doc: replay begins
            ReplayService replay = ReplayService.builder().batchSize(500).continueOnError(true).build();
            ReplayResult result = replay.replay(store, EventQuery.builder().eventTypes("order.#").build(), newProjection);
            result.eventsReplayed(); result.failures(); result.failedPositions(); result.lastPosition();
            replay.figures();   // runs, events replayed, failures, last duration, last count
            // doc: replay ends

            assertThat(applied).hasSize(3);
            assertThat(result.eventsReplayed()).isEqualTo(3);
            assertThat(result.failures()).isEqualTo(1);
            assertThat(result.failedPositions()).hasSize(1);
            assertThat(replay.figures().runs()).isEqualTo(1);
        }
    }

    @Test
    void aScopedConsumerReceivesOnlyItsAggregateTypesAfterThePosition() throws SQLException {
        try (TestSchema schema = TestDatabase.get().createSchema(CONFIG); Connection connection = schema.begin()) {
            EventStore store = STORE.on(connection);
            append(store, "Order", "order.placed", "acme", Instant.now());
            long p = store.latestGlobalPosition();
            append(store, "Invoice", "invoice.sent", "acme", Instant.now());
            append(store, "Order", "order.confirmed", "acme", Instant.now());
            append(store, "Order", "order.shipped", "acme", Instant.now());
            ReplayService replay = ReplayService.builder().batchSize(500).build();
            OrderOverview orderOverview = new OrderOverview();

            // doc: scoped-replay begins
            // Delivers only Order events after position p, in position order, 500 per query.
            replay.replay(store, EventQuery.builder().afterPosition(p).build(), orderOverview);  // aggregateTypes() = {"Order"}
            // doc: scoped-replay ends

            assertThat(orderOverview.applied).extracting(PersistedEvent::eventType)
                    .containsExactly("order.confirmed", "order.shipped");
        }
    }

    @Test
    void theMetricsExampleBindsRetentionAndReplayFigures() throws SQLException {
        try (TestSchema schema = TestDatabase.get().createSchema(CONFIG)) {
            SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();
            RetentionManager manager = RetentionManager.builder(STORE.retention(dataSource(schema)))
                    .keep(Duration.ofDays(365)).build();
            ReplayService replay = ReplayService.builder().build();

            // doc: metrics begins
            MetricsBinding.bindIfAvailable(meterRegistry, manager);            // false when Micrometer is absent
            MetricsBinding.bindIfAvailable(meterRegistry, replay, "rebuild");  // tag replay=rebuild
            // or directly: new RetentionMeterBinder(manager).bindTo(registry)
            // doc: metrics ends

            assertThat(meterRegistry.get("eventstore.retention.runs").functionCounter().count()).isZero();
            assertThat(meterRegistry.get("eventstore.replay.events").tag("replay", "rebuild").functionCounter())
                    .isNotNull();
        }
    }

    private static void append(EventStore store, String aggregateType, String eventType, String tenant,
                               Instant createdAt) {
        store.append(ExpectedVersion.noStream(), Event.builder(aggregateType, UUID.randomUUID().toString(), eventType)
                .metadata("{\"tenant\":\"" + tenant + "\"}").createdAt(createdAt).build());
    }

    private static PGSimpleDataSource dataSource(TestSchema schema) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(schema.url());
        dataSource.setUser(schema.database().user());
        dataSource.setPassword(schema.database().password());
        return dataSource;
    }

    private static EventConsumer consumer(String name, java.util.function.Consumer<PersistedEvent> handler) {
        return new EventConsumer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void handle(PersistedEvent event) {
                handler.accept(event);
            }
        };
    }

    /** Where the documentation's export would write. */
    private static final class Exporter {
        final List<PersistedEvent> written = new ArrayList<>();

        void write(PersistedEvent event) {
            written.add(event);
        }
    }

    /** A read model scoped to orders. */
    private static final class OrderOverview implements ScopedEventConsumer {
        final List<PersistedEvent> applied = new ArrayList<>();

        @Override
        public String name() {
            return "order-overview";
        }

        @Override
        public Set<String> aggregateTypes() {
            return Set.of("Order");
        }

        @Override
        public void handle(PersistedEvent event) {
            applied.add(event);
        }
    }
}

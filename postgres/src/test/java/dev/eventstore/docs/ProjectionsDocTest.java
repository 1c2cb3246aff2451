package dev.eventstore.docs;

import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjectionHandler;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.ProjectionState;
import dev.eventstore.projection.ProjectionStatus;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static dev.eventstore.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The plain-Java code block of docs/projections.md, run against PostgreSQL. */
class ProjectionsDocTest {

    @Test
    void theAsyncProjectionsExampleStartsPausesResumesRebuildsAndCatchesUp() throws Exception {
        try (TestSchema schema = TestDatabase.get().createSchema(StoreConfig.defaults().withNotifyChannel("events"))) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(schema.url());
            dataSource.setUser(schema.database().user());
            dataSource.setPassword(schema.database().password());

            // doc: async-projections begins
            AsyncProjections projections = AsyncProjections.builder(dataSource, StoreConfig.defaults().withNotifyChannel("events"))
                    .node("node-a")                                        // unique per JVM
                    .register("customer-totals", Set.of("Order"), new AsyncProjectionHandler() {
                        @Override
                        public void handle(Connection connection, List<PersistedEvent> events) {
                            for (PersistedEvent event : events) { /* UPDATE customer_totals ... through connection */ }
                        }

                        @Override
                        public void reset(Connection connection) {         // what a rebuild clears; without it, none is allowed
                            /* DELETE FROM customer_totals through connection */
                        }
                    })
                    .batchSize(500).pollInterval(Duration.ofSeconds(1)).lease(Duration.ofSeconds(15))
                    .maxFailures(5).backoff(Duration.ofMillis(200), Duration.ofSeconds(30))
                    .build();
            projections.start();                                           // background loop + LISTEN
            ProjectionStatus status = projections.status("customer-totals");
            projections.pause("customer-totals"); projections.resume("customer-totals"); projections.rebuild("customer-totals");
            // doc: async-projections ends

            try (projections) {
                assertThat(status.name()).isEqualTo("customer-totals");
                long position;
                try (Connection connection = schema.begin()) {
                    position = PostgresEventStore.create(StoreConfig.defaults()).on(connection)
                            .append(ExpectedVersion.noStream(),
                                    Event.builder("Order", UUID.randomUUID().toString(), "OrderPlaced").build())
                            .lastGlobalPosition();
                    connection.commit();
                }
                await(() -> projections.status("customer-totals").lastPosition() >= position,
                        "the projection handles the new order");
                assertThat(projections.status("customer-totals").state()).isEqualTo(ProjectionState.RUNNING);
            }
        }
    }

    @Test
    void theSegmentsExampleSharesFourSegmentsBetweenTwoNodes() throws Exception {
        StoreConfig config = StoreConfig.defaults().withNotifyChannel("es_" + UUID.randomUUID().toString()
                .replace("-", "").substring(0, 12));
        try (TestSchema schema = TestDatabase.get().createSchema(config)) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(schema.url());
            dataSource.setUser(schema.database().user());
            dataSource.setPassword(schema.database().password());
            java.util.Set<java.util.UUID> handled = java.util.concurrent.ConcurrentHashMap.newKeySet();
            AsyncProjectionHandler searchIndexer = (connection, events) ->
                    events.forEach(event -> handled.add(event.eventId()));
            AsyncProjections nodeB = AsyncProjections.builder(dataSource, config).node("node-b")
                    .register("order-search", Set.of("Order"), searchIndexer).segments("order-search", 4)
                    .lease(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).build();
            nodeB.start();

            // doc: segments begins
            AsyncProjections projections = AsyncProjections.builder(dataSource, config)
                    .node("node-a")
                    .register("order-search", Set.of("Order"), searchIndexer)   // a slow handler: a remote index
                    .segments("order-search", 4)                                // the same count on every node
                    .segmentThreads(4)                                          // segments this node runs at once
                    .build();
            projections.start();
            ProjectionStatus status = projections.status("order-search");   // the whole: the slowest segment's lag
            for (ProjectionStatus.Segment segment : status.segments()) {
                System.out.println(segment.segment() + " " + segment.leaseOwner().orElse("-") + " " + segment.lagEvents());
            }
            projections.pause("order-search", 2); projections.resume("order-search", 2);
            // doc: segments ends

            try (projections; nodeB) {
                assertThat(status.segments()).hasSize(4);
                try (Connection connection = schema.connect()) {
                    for (int i = 0; i < 20; i++) {
                        PostgresEventStore.create(config).on(connection).append(ExpectedVersion.noStream(),
                                Event.builder("Order", UUID.randomUUID().toString(), "OrderPlaced").build());
                    }
                }
                await(90, () -> handled.size() == 20 && projections.status("order-search").caughtUp(),
                        () -> "both nodes handle the orders: " + handled.size() + " of 20, "
                                + projections.status("order-search"));
                await(90, () -> projections.status("order-search").segments().stream()
                                .map(segment -> segment.leaseOwner().orElse("-")).distinct().sorted().toList()
                                .equals(List.of("node-a", "node-b")),
                        () -> "the nodes share the segments: " + projections.status("order-search").segments());
            }
        }
    }
}

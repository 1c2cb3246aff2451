package dev.eventstore.async;

import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.async.internal.SegmentHash;
import dev.eventstore.async.micrometer.ProjectionMeterBinder;
import dev.eventstore.jobs.MetricsBinding;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.ProjectionState;
import dev.eventstore.projection.ProjectionStatus;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every projection's figures reach Micrometer: node counters, and lag, position and parking from the checkpoint. */
class ProjectionMeterBinderTest {

    private TestSchema schema;
    private AsyncProjections projections;

    @BeforeEach
    void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (projections != null) {
            projections.close();
        }
        schema.close();
    }

    @Test
    void countersLagAndParkingArePublishedPerProjection() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(schema.url());
        dataSource.setUser(TestDatabase.get().user());
        dataSource.setPassword(TestDatabase.get().password());
        projections = AsyncProjections.builder(dataSource, StoreConfig.defaults())
                .maxFailures(1)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
                .register("counting", Set.of("Account"), (connection, events) -> { })
                .register("refusing", Set.of("Refused"), (connection, events) -> {
                    throw new IllegalStateException("refused on purpose");
                })
                .build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // refresh zero: every reading of a gauge reads the statuses afresh
        new ProjectionMeterBinder(projections, Duration.ZERO).bindTo(registry);
        assertThat(registry.get("eventstore.projection.lag.events").tag("projection", "counting").gauge().value())
                .as("no checkpoint yet: nothing to report").isNaN();
        projections.drain(); // creates the checkpoints
        append("Account", 3);
        append("Refused", 1);

        assertThat(registry.get("eventstore.projection.lag.events").tag("projection", "counting").gauge().value())
                .isEqualTo(3.0);
        projections.drain();

        assertThat(registry.get("eventstore.projection.events.handled").tag("projection", "counting")
                .functionCounter().count()).isEqualTo(3.0);
        assertThat(registry.get("eventstore.projection.batches").tag("projection", "counting")
                .functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("eventstore.projection.failures").tag("projection", "refusing")
                .functionCounter().count()).isEqualTo(1.0);
        assertThat(projections.statuses()).hasSize(2); // readable: a failing read would show as NaN below
        assertThat(registry.get("eventstore.projection.lag.events").tag("projection", "counting").gauge().value())
                .isZero();
        assertThat(registry.get("eventstore.projection.position").tag("projection", "counting").gauge().value())
                .isEqualTo(projections.status("counting").lastPosition());
        assertThat(registry.get("eventstore.projection.parked").tag("projection", "refusing").gauge().value())
                .isEqualTo(1.0);
        assertThat(registry.get("eventstore.projection.parked").tag("projection", "counting").gauge().value())
                .isZero();
        assertThat(registry.get("eventstore.projection.lag").tag("projection", "refusing").timeGauge()
                .value(TimeUnit.MILLISECONDS)).isPositive();
    }

    @Test
    void aSegmentedProjectionAlsoGetsGaugesPerSegmentUnderTheirOwnNames() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(schema.url());
        dataSource.setUser(TestDatabase.get().user());
        dataSource.setPassword(TestDatabase.get().password());
        projections = AsyncProjections.builder(dataSource, StoreConfig.defaults())
                .node("meter-node")
                .maxFailures(1)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
                .register("spread", Set.of("Spread"), (connection, events) -> {
                    if (events.stream().anyMatch(event -> event.eventType().equals("Poison"))) {
                        throw new IllegalStateException("poison refused on purpose");
                    }
                })
                .segments("spread", 3)
                .register("single", Set.of("Spread"), (connection, events) -> { })
                .build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ProjectionMeterBinder(projections, Duration.ZERO).bindTo(registry);
        assertThat(registry.get("eventstore.projection.segment.lag.events").tag("projection", "spread")
                .tag("segment", "0").gauge().value()).as("no checkpoint rows yet").isNaN();
        projections.drain(); // creates the checkpoint rows
        for (int aggregate = 0; aggregate < 12; aggregate++) {
            append("Spread", "spread-" + aggregate, "Happened");
        }
        append("Spread", "poisoned", "Poison");
        int poisoned = SegmentHash.segmentOf("Spread", "poisoned", 3);

        projections.drain();

        ProjectionStatus status = projections.status("spread");
        assertThat(status.segments()).hasSize(3);
        for (ProjectionStatus.Segment segment : status.segments()) {
            String number = Integer.toString(segment.segment());
            assertThat(registry.get("eventstore.projection.segment.parked").tag("projection", "spread")
                    .tag("segment", number).gauge().value())
                    .isEqualTo(segment.segment() == poisoned ? 1.0 : 0.0);
            assertThat(segment.state()).isEqualTo(segment.segment() == poisoned ? ProjectionState.PARKED
                    : ProjectionState.RUNNING);
            assertThat(registry.get("eventstore.projection.segment.lag.events").tag("projection", "spread")
                    .tag("segment", number).gauge().value()).isEqualTo(segment.lagEvents())
                    .isEqualTo(segment.segment() == poisoned ? status.lagEvents() : 0.0);
            assertThat(registry.get("eventstore.projection.segment.position").tag("projection", "spread")
                    .tag("segment", number).gauge().value()).isEqualTo(segment.lastPosition());
            assertThat(registry.get("eventstore.projection.segment.held").tag("projection", "spread")
                    .tag("segment", number).gauge().value())
                    .isEqualTo(segment.leaseOwner().filter("meter-node"::equals).isPresent() ? 1.0 : 0.0);
        }
        assertThat(registry.get("eventstore.projection.segment.lag").tag("projection", "spread")
                .tag("segment", Integer.toString(poisoned)).timeGauge().value(TimeUnit.MILLISECONDS)).isPositive();
        assertThat(registry.get("eventstore.projection.parked").tag("projection", "spread").gauge().value())
                .as("the whole is parked when a segment is").isEqualTo(1.0);
        assertThat(registry.get("eventstore.projection.lag.events").tag("projection", "spread").gauge().value())
                .isEqualTo(status.lagEvents()).isPositive();
        assertThat(registry.find("eventstore.projection.segment.parked").tag("segment", "3").gauges()).isEmpty();
        assertThat(registry.find("eventstore.projection.segment.parked").tag("projection", "single").gauges())
                .as("one segment: the projection's meters say it all").isEmpty();
        assertThat(registry.get("eventstore.projection.parked").tag("projection", "single").gauge().value())
                .isZero();
    }

    @Test
    void theGaugesOutliveAGarbageCollectionThoughNobodyKeepsTheBinder() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(schema.url());
        dataSource.setUser(TestDatabase.get().user());
        dataSource.setPassword(TestDatabase.get().password());
        projections = AsyncProjections.builder(dataSource, StoreConfig.defaults())
                .register("collected", Set.of(), (connection, events) -> { })
                .register("collected-segments", Set.of(), (connection, events) -> { })
                .segments("collected-segments", 2)
                .build();
        projections.drain();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MetricsBinding.bindIfAvailable(registry, projections); // as the container does: the binder is not kept

        java.lang.ref.WeakReference<Object> canary = new java.lang.ref.WeakReference<>(new Object());
        dev.eventstore.testing.Await.await(() -> {
            System.gc();
            return canary.get() == null;
        }, "a garbage collection clears weak references");

        assertThat(registry.get("eventstore.projection.lag.events").tag("projection", "collected").gauge().value())
                .isZero();
        assertThat(registry.get("eventstore.projection.segment.lag.events").tag("projection", "collected-segments")
                .tag("segment", "1").gauge().value()).isZero();
    }

    @Test
    void theBindingHelperBindsToAMicrometerRegistryOnly() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(schema.url());
        dataSource.setUser(TestDatabase.get().user());
        projections = AsyncProjections.builder(dataSource, StoreConfig.defaults())
                .register("bound", Set.of(), (connection, events) -> { })
                .build();
        projections.start();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        assertThat(MetricsBinding.bindIfAvailable("not a registry", projections)).isFalse();
        assertThat(MetricsBinding.bindIfAvailable(registry, projections)).isTrue();

        assertThat(registry.get("eventstore.projection.lag.events").tag("projection", "bound").gauge().value())
                .isZero();
    }

    private void append(String aggregateType, String id, String eventType) throws SQLException {
        try (Connection connection = schema.connect()) {
            PostgresEventStore.create(StoreConfig.defaults()).on(connection).append(ExpectedVersion.any(),
                    List.of(Event.builder(aggregateType, id, eventType).build()));
        }
    }

    private void append(String aggregateType, int count) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection connection = schema.connect()) {
            for (int i = 0; i < count; i++) {
                PostgresEventStore.create(StoreConfig.defaults()).on(connection).append(ExpectedVersion.any(),
                        List.of(Event.builder(aggregateType, id, "Happened").build()));
            }
        }
    }
}

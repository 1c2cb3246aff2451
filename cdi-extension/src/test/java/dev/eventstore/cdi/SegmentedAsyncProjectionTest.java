package dev.eventstore.cdi;

import dev.eventstore.EventStore;
import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.async.internal.SegmentHash;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import dev.eventstore.projection.ProjectionReset;
import dev.eventstore.projection.ProjectionStatus;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.eventstore.ExpectedVersion.any;
import static dev.eventstore.cdi.StoreEvents.event;
import static dev.eventstore.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @Projection(segments = 3)} in Weld SE with Narayana: the extension hands the count to the runtime, the
 * configuration key overrides it, readiness and meters report each segment, and a count the checkpoints were not
 * made for stops the projection on this node until a rebuild, as the runtime does in plain Java.
 */
class SegmentedAsyncProjectionTest {

    private static final String NAME = "segmented-later";
    private static final String KEY = "eventstore.projection." + NAME + ".segments";

    /** Three segments, each batch in a JTA transaction of its own. */
    @ApplicationScoped
    @Projection(name = NAME, aggregateTypes = "Spread", mode = ProjectionMode.ASYNC, segments = 3)
    public static class SegmentedProjection {
        @Inject
        Recorder recorder;
        @Inject
        TransactionSynchronizationRegistry transactions;

        static final AtomicBoolean refusePoison = new AtomicBoolean(true);

        @EventHandler
        public void on(PersistedEvent event) {
            if (event.eventType().equals("Poison") && refusePoison.get()) {
                throw new IllegalStateException("poison refused on purpose");
            }
            recorder.saw(NAME, event, transactions.getTransactionStatus());
        }

        @ProjectionReset
        public void reset() {
            recorder.clear();
        }
    }

    private TestSchema schema;
    private AgroalDataSource dataSource;
    private String channel;

    @BeforeEach
    void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        dataSource = JtaEnvironment.dataSource(schema, 8);
        channel = "es_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        SegmentedProjection.refusePoison.set(true);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        System.clearProperty(KEY);
        System.clearProperty("eventstore.async.max-failures");
        System.clearProperty("eventstore.async.backoff-initial");
        System.clearProperty("eventstore.async.backoff-max");
        dataSource.close();
        schema.close();
    }

    @Test
    void aSegmentedAsyncProjectionBeanRunsWithItsDeclaredSegmentsAndKeepsEachStreamInOrder() throws Exception {
        try (WeldContainer container = start()) {
            appendRounds(container, 3, 12);

            Recorder recorder = container.select(Recorder.class).get();
            await(() -> recorder.seenBy(NAME).size() == 36,
                    () -> "all 36 events handled, saw " + recorder.seenBy(NAME).size());
            AsyncProjections projections = container.select(AsyncProjections.class).get();
            await(() -> projections.status(NAME).caughtUp(), "every segment is caught up");

            ProjectionStatus status = projections.status(NAME);
            assertThat(status.segments()).extracting(ProjectionStatus.Segment::segmentCount)
                    .containsExactly(3, 3, 3);
            assertThat(status.segments()).allSatisfy(segment -> assertThat(segment.lastPosition()).isPositive());
            assertEachStreamOnceInOrder(recorder, 12, 3);
        }
    }

    @Test
    void readinessAndMetersReportEachSegmentBesideTheWhole() throws Exception {
        try (WeldContainer container = start()) {
            appendRounds(container, 2, 12);
            AsyncProjections projections = container.select(AsyncProjections.class).get();
            String node = projections.runtimeStatus().node();
            await(() -> projections.status(NAME).segments().stream()
                            .allMatch(s -> s.caughtUp() && s.leaseOwner().filter(node::equals).isPresent()),
                    () -> "this node holds every segment and each is caught up: " + projections.status(NAME));
            HealthCheck readiness = container.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
            await(() -> readiness.call().getStatus() == HealthCheckResponse.Status.UP, "readiness UP");

            Map<String, Object> data = readiness.call().getData().orElseThrow();
            assertThat(data).containsEntry(NAME + ".state", "RUNNING").containsEntry(NAME + ".lag-events", 0L)
                    .containsEntry(NAME + ".lease-owner", node).containsEntry(NAME + ".segments", 3L);
            ProjectionStatus status = projections.status(NAME);
            for (ProjectionStatus.Segment segment : status.segments()) {
                String key = NAME + ".segment." + segment.segment();
                assertThat(data).containsEntry(key + ".state", "RUNNING")
                        .containsEntry(key + ".position", segment.lastPosition())
                        .containsEntry(key + ".lag-events", 0L)
                        .containsEntry(key + ".lag-ms", 0L)
                        .containsEntry(key + ".lease-owner", node);
            }
            assertThat(data).doesNotContainKey(NAME + ".segment.3.state");

            MeterRegistry registry = container.select(MeterRegistry.class).get();
            assertThat(registry.get("eventstore.projection.lag.events").tag("projection", NAME).gauge().value())
                    .as("the projection's meter keeps its name and one tag").isZero();
            for (ProjectionStatus.Segment segment : status.segments()) {
                String number = Integer.toString(segment.segment());
                assertThat(registry.get("eventstore.projection.segment.held").tag("projection", NAME)
                        .tag("segment", number).gauge().value()).isEqualTo(1.0);
                assertThat(registry.get("eventstore.projection.segment.position").tag("projection", NAME)
                        .tag("segment", number).gauge().value()).isEqualTo(segment.lastPosition());
                assertThat(registry.get("eventstore.projection.segment.parked").tag("projection", NAME)
                        .tag("segment", number).gauge().value()).isZero();
            }
            assertThat(registry.find("eventstore.projection.segment.held").tag("segment", "3").gauge()).isNull();
        }
    }

    @Test
    void aParkedSegmentTurnsReadinessDownNamingItWhileTheOtherSegmentsGoOn() throws Exception {
        System.setProperty("eventstore.async.max-failures", "1");
        System.setProperty("eventstore.async.backoff-initial", "10ms");
        System.setProperty("eventstore.async.backoff-max", "20ms");
        int parked = SegmentHash.segmentOf("Spread", "poisoned", 3);
        try (WeldContainer container = start()) {
            EventStore store = container.select(EventStore.class).get();
            UserTransaction transaction = JtaEnvironment.userTransaction();
            transaction.begin();
            store.append(any(), event("Spread", "poisoned", "Poison"));
            transaction.commit();
            HealthCheck readiness = container.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
            await(() -> readiness.call().getStatus() == HealthCheckResponse.Status.DOWN,
                    () -> "readiness DOWN: " + readiness.call().getData());

            Map<String, Object> data = readiness.call().getData().orElseThrow();
            assertThat(data).containsEntry(NAME + ".state", "PARKED")
                    .containsEntry(NAME + ".segment." + parked + ".state", "PARKED");
            assertThat((String) data.get(NAME + ".segment." + parked + ".last-error"))
                    .contains("poison refused on purpose");
            assertThat((String) data.get("reasons")).contains("projection " + NAME + " segment " + parked
                    + " is parked").contains("poison refused on purpose").contains("resume it");
            IntStream.range(0, 3).filter(segment -> segment != parked).forEach(segment ->
                    assertThat(data).containsEntry(NAME + ".segment." + segment + ".state", "RUNNING"));

            // the other segments go on: events of aggregates outside the parked segment are handled
            appendRounds(container, 1, 12);
            Recorder recorder = container.select(Recorder.class).get();
            long others = IntStream.range(0, 12)
                    .filter(aggregate -> SegmentHash.segmentOf("Spread", "spread-" + aggregate, 3) != parked)
                    .count();
            await(() -> recorder.seenBy(NAME).size() == others,
                    () -> others + " events of the running segments handled, saw " + recorder.seenBy(NAME).size());

            SegmentedProjection.refusePoison.set(false);
            container.select(AsyncProjections.class).get().resume(NAME, parked);
            await(() -> readiness.call().getStatus() == HealthCheckResponse.Status.UP,
                    () -> "readiness UP after the segment's resume: " + readiness.call().getData());
            await(() -> recorder.seenBy(NAME).size() == 13,
                    () -> "every event handled after the resume, saw " + recorder.seenBy(NAME).size());
        }
    }

    @Test
    void theConfigurationKeyOverridesTheDeclaredCount() throws Exception {
        System.setProperty(KEY, "5");
        try (WeldContainer container = start()) {
            AsyncProjections projections = container.select(AsyncProjections.class).get();
            assertThat(projections.segments(NAME)).isEqualTo(5);
            appendRounds(container, 2, 20);

            Recorder recorder = container.select(Recorder.class).get();
            await(() -> recorder.seenBy(NAME).size() == 40,
                    () -> "all 40 events handled, saw " + recorder.seenBy(NAME).size());
            await(() -> projections.status(NAME).caughtUp(), "every segment is caught up");
            assertThat(projections.status(NAME).segments()).extracting(ProjectionStatus.Segment::segmentCount)
                    .containsExactly(5, 5, 5, 5, 5);
            assertThat(segmentRows()).containsExactly(5, 5, 5, 5, 5);
            assertEachStreamOnceInOrder(recorder, 20, 2);
        }
    }

    @Test
    void anInvalidSegmentKeyFailsTheDeploymentNamingTheKeyAndCreatesNoCheckpoints() throws Exception {
        System.setProperty(KEY, "300");

        assertThatThrownBy(() -> start().close())
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining(KEY + " must be a whole number from 1 to 256; was '300'");
        assertThat(segmentRows()).isEmpty();
    }

    /**
     * The runtime's rule, unchanged in a container: the node does not run a projection whose checkpoints were made
     * for another count, readiness says so and names the fixes, and a rebuild replays it with the new count.
     */
    @Test
    void aChangedCountStopsTheProjectionOnThisNodeUntilARebuildReplaysItWithTheNewCount() throws Exception {
        try (WeldContainer first = start()) {
            appendRounds(first, 1, 12);
            Recorder recorder = first.select(Recorder.class).get();
            await(() -> recorder.seenBy(NAME).size() == 12, "the first deployment handles the first round");
            await(() -> first.select(AsyncProjections.class).get().status(NAME).caughtUp(), "caught up");
        }
        assertThat(segmentRows()).containsExactly(3, 3, 3);

        System.setProperty(KEY, "2");
        try (WeldContainer second = start()) {
            appendRounds(second, 1, 12);
            AsyncProjections projections = second.select(AsyncProjections.class).get();
            HealthCheck readiness = second.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
            await(() -> readiness.call().getStatus() == HealthCheckResponse.Status.DOWN,
                    () -> "readiness DOWN: " + readiness.call().getData());
            String reasons = (String) readiness.call().getData().orElseThrow().get("reasons");
            assertThat(reasons).contains("projection " + NAME + " has 2 segment(s) on this node but its checkpoints"
                    + " were made for 3, so this node does not run it: rebuild it with AsyncProjections.rebuild(\""
                    + NAME + "\") (which needs a @ProjectionReset), or set the count back to 3 (@Projection(segments)"
                    + " or " + KEY + ")");
            assertThat(projections.status(NAME).lastError()).hasValueSatisfying(error -> assertThat(error)
                    .contains("Configured with 2 segment(s), but the checkpoint rows were made for 3"));
            Recorder recorder = second.select(Recorder.class).get();
            assertThat(recorder.seenBy(NAME)).as("this node has not run it").isEmpty();
            assertThat(segmentRows()).containsExactly(3, 3, 3);

            projections.rebuild(NAME);

            await(() -> recorder.seenBy(NAME).size() == 24,
                    () -> "both rounds replayed, saw " + recorder.seenBy(NAME).size());
            await(() -> readiness.call().getStatus() == HealthCheckResponse.Status.UP,
                    () -> "readiness UP after the rebuild: " + readiness.call().getData());
            assertThat(segmentRows()).containsExactly(2, 2);
            assertEachStreamOnceInOrder(recorder, 12, 2);
        }
    }

    private WeldContainer start() {
        return CdiTestContainer.start(dataSource, StoreConfig.defaults().withNotifyChannel(channel), Recorder.class,
                SegmentedProjection.class, OperabilityTest.StoreReadiness.class, OperabilityTest.Registry.class);
    }

    /** {@code rounds} transactions, each appending one event to each of {@code aggregates} streams. */
    private static void appendRounds(WeldContainer container, int rounds, int aggregates) throws Exception {
        EventStore store = container.select(EventStore.class).get();
        UserTransaction transaction = JtaEnvironment.userTransaction();
        for (int round = 0; round < rounds; round++) {
            transaction.begin();
            for (int aggregate = 0; aggregate < aggregates; aggregate++) {
                store.append(any(), event("Spread", "spread-" + aggregate, "Happened"));
            }
            transaction.commit();
        }
    }

    private static void assertEachStreamOnceInOrder(Recorder recorder, int aggregates, int versions) {
        Map<String, List<Long>> seen = recorder.seenBy(NAME).stream()
                .collect(Collectors.groupingBy(s -> s.event().aggregateId(),
                        Collectors.mapping(s -> s.event().aggregateVersion(), Collectors.toList())));
        List<Long> expected = IntStream.rangeClosed(1, versions).mapToObj(v -> (long) v).toList();
        assertThat(seen).hasSize(aggregates)
                .allSatisfy((id, handled) -> assertThat(handled).containsExactlyElementsOf(expected));
    }

    /** The segment count of each checkpoint row of the projection, by segment. */
    private List<Integer> segmentRows() throws SQLException {
        try (Connection connection = schema.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT segment_count FROM projection_checkpoints WHERE projection_name = ? ORDER BY segment")) {
            query.setString(1, NAME);
            try (ResultSet rows = query.executeQuery()) {
                List<Integer> counts = new java.util.ArrayList<>();
                while (rows.next()) {
                    counts.add(rows.getInt(1));
                }
                return counts;
            }
        }
    }
}

package dev.eventstore.async;

import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.async.internal.SegmentHash;
import dev.eventstore.migration.MigrationGenerator;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.ProjectionState;
import dev.eventstore.projection.ProjectionStatus;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.eventstore.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Segmented asynchronous projections: several runtimes in one JVM sharing the segments of one projection. */
class SegmentedProjectionsTest {

    /** Longer than usual: another session's open transaction may hold the horizon on a shared machine. */
    private static final long WAIT_SECONDS = 90;

    private static TestSchema schema;
    private static PGSimpleDataSource dataSource;
    private static StoreConfig config;
    private static PostgresEventStore store;

    @BeforeAll
    static void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        try (Connection connection = schema.connect()) {
            SegmentRecorder.createTables(connection);
        }
        dataSource = dataSource(schema);
        config = StoreConfig.defaults()
                .withNotifyChannel("es_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        store = PostgresEventStore.create(config);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    private static PGSimpleDataSource dataSource(TestSchema schema) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(schema.url());
        source.setUser(schema.database().user());
        source.setPassword(schema.database().password());
        return source;
    }

    private static AsyncProjections runtime(String node, String projection, int segments) {
        return AsyncProjections.builder(dataSource, config).node(node)
                .register(projection, Set.of(), new SegmentRecorder(projection, node))
                .segments(projection, segments)
                .lease(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(50)).batchSize(10)
                .build();
    }

    @Test
    void threeRuntimesShareFourSegmentsFairlyAndHandleEveryEventOnceInStreamOrder() throws Exception {
        String projection = "shared-" + UUID.randomUUID();
        String type = "Shared" + UUID.randomUUID().toString().substring(0, 8);
        Set<UUID> committed = ConcurrentHashMap.newKeySet();
        Set<UUID> discarded = ConcurrentHashMap.newKeySet();
        List<String> hot = List.of("hot-1", "hot-2", "hot-3");
        AsyncProjections a = runtime("a", projection, 4);
        AsyncProjections b = runtime("b", projection, 4);
        AsyncProjections c = runtime("c", projection, 4);
        try (a; b; c) {
            a.start();
            await(WAIT_SECONDS, () -> owners(a, projection).equals(Map.of("a", 4)),
                    () -> "a alone holds all four segments: " + owners(a, projection));

            long joined = System.nanoTime();
            b.start();
            c.start();
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                long seed = w;
                writers.add(CompletableFuture.runAsync(() -> write(seed, type, hot, committed, discarded)));
            }
            await(WAIT_SECONDS, () -> fair(owners(a, projection), 3, 4),
                    () -> "three nodes hold 1 or 2 segments each: " + owners(a, projection));
            long rebalanceMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joined);
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);

            b.close();
            await(WAIT_SECONDS, () -> fair(owners(a, projection), 2, 4),
                    () -> "a and c share the segments b gave back: " + owners(a, projection));
            // One event on each of 60 aggregates, spread over the segments by their hash: a node holding one of four
            // segments gets none of them with odds (3/4)^60, so the assertion that c handled events is not left to luck
            for (int i = 0; i < 60; i++) {
                appendMany(type, "after-b-" + i, 1, committed);
            }
            await(WAIT_SECONDS, () -> a.status(projection).caughtUp(),
                    () -> "every segment catches up: " + a.status(projection));
            System.out.println("three nodes reached fair shares " + rebalanceMillis + " ms after two joined");
        }
        assertThat(committed).hasSizeGreaterThan(50);
        assertThat(seen(projection)).containsExactlyInAnyOrderElementsOf(committed);
        assertThat(seen(projection)).doesNotContainAnyElementsOf(discarded);
        assertThat(violations(projection)).isEmpty();
        assertThat(nodesThatHandled(projection)).contains("a", "c");
    }

    private static Map<String, Integer> owners(AsyncProjections projections, String projection) {
        Map<String, Integer> owners = new HashMap<>();
        for (ProjectionStatus.Segment segment : projections.status(projection).segments()) {
            segment.leaseOwner().ifPresent(owner -> owners.merge(owner, 1, Integer::sum));
        }
        return owners;
    }

    /** Every segment held, by {@code nodes} nodes, each within one of the fair share. */
    private static boolean fair(Map<String, Integer> owners, int nodes, int segments) {
        int ceil = (segments + nodes - 1) / nodes;
        return owners.size() == nodes && owners.values().stream().mapToInt(Integer::intValue).sum() == segments
                && owners.values().stream().allMatch(count -> count >= ceil - 1 && count <= ceil);
    }

    private static void write(long seed, String type, List<String> hot, Set<UUID> committed, Set<UUID> discarded) {
        Random random = new Random(seed);
        try (Connection connection = schema.begin()) {
            for (int i = 0; i < 40; i++) {
                String id = random.nextInt(3) == 0 ? "cold-" + UUID.randomUUID() : hot.get(random.nextInt(3));
                Event event = Event.builder(type, id, "Happened").jsonPayload("{}").build();
                try {
                    store.on(connection).append(ExpectedVersion.any(), event);
                    if (random.nextInt(6) == 0) {
                        connection.rollback();
                        discarded.add(event.eventId());
                        continue;
                    }
                    connection.commit();
                    committed.add(event.eventId());
                } catch (OptimisticConcurrencyException e) {
                    connection.rollback();
                    discarded.add(event.eventId());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void onePausedSegmentHoldsBackOnlyItsOwnAggregatesAndBadSegmentNumbersChangeNothing() throws Exception {
        String projection = "paused-" + UUID.randomUUID();
        String type = "Paused" + UUID.randomUUID().toString().substring(0, 8);
        String inZero = idInSegment(type, 0, 2);
        String inOne = idInSegment(type, 1, 2);
        try (AsyncProjections projections = runtime("solo", projection, 2)) {
            projections.drain();
            projections.pause(projection, 1);
            appendMany(type, inZero, 3, ConcurrentHashMap.newKeySet());
            appendMany(type, inOne, 4, ConcurrentHashMap.newKeySet());

            drainUntil(projections, 3);
            ProjectionStatus status = projections.status(projection);
            assertThat(status.state()).isEqualTo(ProjectionState.PAUSED);
            assertThat(status.segments()).extracting(ProjectionStatus.Segment::state)
                    .containsExactly(ProjectionState.RUNNING, ProjectionState.PAUSED);
            assertThat(status.segments()).extracting(ProjectionStatus.Segment::lagEvents).containsExactly(0L, 4L);
            assertThat(status.lagEvents()).isEqualTo(4);

            assertThatThrownBy(() -> projections.pause(projection, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no segment 2");
            assertThatThrownBy(() -> projections.resume(projection, -1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no segment -1");
            assertThat(projections.status(projection).segments()).extracting(ProjectionStatus.Segment::state)
                    .containsExactly(ProjectionState.RUNNING, ProjectionState.PAUSED);

            projections.resume(projection, 1);
            drainUntil(projections, 4);
            assertThat(projections.status(projection).caughtUp()).isTrue();
            assertThat(projections.status(projection).state()).isEqualTo(ProjectionState.RUNNING);
        }
        assertThat(violations(projection)).isEmpty();
    }

    @Test
    void aParkedSegmentLeavesTheOtherSegmentsRunningAndResumesAfterTheFix() throws Exception {
        String projection = "parked-" + UUID.randomUUID();
        String type = "Parked" + UUID.randomUUID().toString().substring(0, 8);
        String poisoned = idInSegment(type, 1, 3);
        String healthy = idInSegment(type, 0, 3);
        AtomicBoolean broken = new AtomicBoolean(true);
        SegmentRecorder recorder = new SegmentRecorder(projection, "solo");
        AsyncProjectionHandler flaky = (connection, events) -> {
            if (broken.get() && events.stream().anyMatch(e -> e.aggregateId().equals(poisoned))) {
                throw new IllegalStateException("cannot digest " + poisoned);
            }
            recorder.handle(connection, events);
        };
        try (AsyncProjections projections = AsyncProjections.builder(dataSource, config).node("solo")
                .register(projection, Set.of(type), flaky).segments(projection, 3)
                .maxFailures(2).backoff(Duration.ofMillis(10), Duration.ofMillis(20))
                .pollInterval(Duration.ofMillis(50)).build()) {
            projections.start();
            appendMany(type, poisoned, 2, ConcurrentHashMap.newKeySet());
            appendMany(type, healthy, 5, ConcurrentHashMap.newKeySet());

            await(WAIT_SECONDS, () -> projections.status(projection).state() == ProjectionState.PARKED,
                    () -> "the poisoned segment parks: " + projections.status(projection));
            await(WAIT_SECONDS, () -> projections.status(projection).segments().get(0).caughtUp(),
                    "the healthy segment goes on");
            ProjectionStatus parked = projections.status(projection);
            assertThat(parked.segments().get(1).state()).isEqualTo(ProjectionState.PARKED);
            assertThat(parked.lastError()).hasValueSatisfying(error -> assertThat(error).contains(poisoned));
            assertThat(parked.failedPosition()).isPresent();
            assertThat(parked.lagEvents()).isEqualTo(2);

            broken.set(false);
            projections.resume(projection, 1);
            await(WAIT_SECONDS, () -> projections.status(projection).caughtUp(), "the resumed segment catches up");
            assertThat(projections.status(projection).state()).isEqualTo(ProjectionState.RUNNING);
        }
        assertThat(seen(projection)).hasSize(7);
    }

    @Test
    void aNewSegmentCountRunsNothingUntilARebuildReplaysWithIt() throws Exception {
        String projection = "recount-" + UUID.randomUUID();
        String type = "Recount" + UUID.randomUUID().toString().substring(0, 8);
        Set<UUID> committed = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 5; i++) {
            appendMany(type, "agg-" + i, 2, committed);
        }
        try (AsyncProjections one = AsyncProjections.builder(dataSource, config).node("one")
                .register(projection, Set.of(type), new SegmentRecorder(projection, "one")).build();
             AsyncProjections three = AsyncProjections.builder(dataSource, config).node("three")
                     .register(projection, Set.of(type), new SegmentRecorder(projection, "three"))
                     .segments(projection, 3).build()) {
            drainUntil(one, 10);

            assertThat(three.drain()).as("rows made for one segment").isZero();
            assertThat(three.status(projection).lastError()).hasValueSatisfying(error -> assertThat(error)
                    .contains("Configured with 3 segment(s)", "made for 1", "rebuild"));

            three.rebuild(projection);
            assertThat(three.status(projection).segments()).extracting(ProjectionStatus.Segment::segmentCount)
                    .containsExactly(3, 3, 3);
            drainUntil(three, 10);
            appendMany(type, "agg-late", 1, committed);
            drainUntil(three, 1);
            assertThat(one.drain()).as("the node still configured for one segment stands aside").isZero();
            assertThat(three.status(projection).caughtUp()).isTrue();
        }
        assertThat(seen(projection)).containsExactlyInAnyOrderElementsOf(committed);
        assertThat(nodesThatHandled(projection)).containsExactly("three");
        assertThat(violations(projection)).isEmpty();
    }

    @Test
    void aCheckpointRowFromBeforeSegmentsKeepsWorkingAfterTheUpgrade() throws Exception {
        try (TestSchema old = TestDatabase.get().createEmptySchema(); Connection connection = old.connect();
             Statement statement = connection.createStatement()) {
            statement.execute(MigrationGenerator.schemaSql(StoreConfig.defaults()));
            statement.execute("DROP TABLE projection_checkpoints, projection_checkpoints_nodes");
            statement.execute(OLD_CHECKPOINTS);
            SegmentRecorder.createTables(connection);
            PostgresEventStore plain = PostgresEventStore.create(StoreConfig.defaults());
            for (int i = 1; i <= 3; i++) {
                plain.on(connection).append(ExpectedVersion.any(),
                        Event.builder("Old", "o-1", "Happened").jsonPayload("{}").build());
            }
            // Handled up to the second event before the upgrade.
            statement.execute("INSERT INTO projection_checkpoints (projection_name, last_transaction_id,"
                    + " last_position) SELECT 'old-totals', transaction_id, global_position FROM events"
                    + " WHERE aggregate_version = 2");
            statement.execute("INSERT INTO segment_seen SELECT 'old-totals', event_id, aggregate_type,"
                    + " aggregate_id, aggregate_version, 'before' FROM events WHERE aggregate_version <= 2");

            statement.execute(MigrationGenerator.schemaSql(StoreConfig.defaults()));
            statement.execute(MigrationGenerator.schemaSql(StoreConfig.defaults()));

            assertThat(old.queryLong("SELECT count(*) FROM projection_checkpoints WHERE projection_name ="
                    + " 'old-totals' AND segment = 0 AND segment_count = 1")).isEqualTo(1);
            assertThat(old.queryLong("SELECT count(*) FROM pg_constraint WHERE conrelid ="
                    + " 'projection_checkpoints'::regclass AND contype = 'p' AND array_length(conkey, 1) = 2"))
                    .isEqualTo(1);
            try (AsyncProjections projections = AsyncProjections.builder(dataSource(old), StoreConfig.defaults())
                    .register("old-totals", Set.of("Old"), new SegmentRecorder("old-totals", "after")).build()) {
                drainUntil(projections, 1); // only the event after the old checkpoint
                ProjectionStatus status = projections.status("old-totals");
                assertThat(status.caughtUp()).isTrue();
                assertThat(status.segments()).hasSize(1);
                assertThat(status.lastPosition()).isEqualTo(status.segments().get(0).lastPosition());
            }
            assertThat(old.queryLong("SELECT count(*) FROM segment_seen")).isEqualTo(3);
            assertThat(old.queryLong("SELECT count(*) FROM segment_violations")).isZero();
        }
    }

    @Test
    void aRuntimeOnACheckpointTableFromBeforeSegmentsSaysToRunTheSchemaAgainAndStartsOnceItRan() throws Exception {
        try (TestSchema old = TestDatabase.get().createEmptySchema(); Connection connection = old.connect();
             Statement statement = connection.createStatement()) {
            statement.execute(MigrationGenerator.schemaSql(StoreConfig.defaults()));
            statement.execute("DROP TABLE projection_checkpoints, projection_checkpoints_nodes");
            statement.execute(OLD_CHECKPOINTS);
            SegmentRecorder.createTables(connection);
            try (AsyncProjections projections = AsyncProjections.builder(dataSource(old), StoreConfig.defaults())
                    .register("not-upgraded", Set.of(), new SegmentRecorder("not-upgraded", "x"))
                    .backoff(Duration.ofMillis(20), Duration.ofMillis(200)).build()) {
                projections.start();
                await(WAIT_SECONDS, () -> projections.runtimeStatus().lastStartFailure().isPresent(),
                        "the runtime reports why it cannot start");
                assertThat(projections.runtimeStatus().lastStartFailure()).hasValueSatisfying(failure ->
                        assertThat(failure).contains("made before projections had segments",
                                "run the store's schema SQL again"));
                assertThat(projections.runtimeStatus().phase()).isEqualTo(RuntimeStatus.Phase.STARTING);

                statement.execute(MigrationGenerator.schemaSql(StoreConfig.defaults()));

                await(WAIT_SECONDS, () -> projections.runtimeStatus().phase() == RuntimeStatus.Phase.RUNNING,
                        "the runtime starts once the table is upgraded");
                assertThat(projections.status("not-upgraded").segments()).hasSize(1);
            }
        }
    }

    /** The checkpoint table as the migration generator made it before segments. */
    private static final String OLD_CHECKPOINTS = """
            CREATE TABLE IF NOT EXISTS "projection_checkpoints" (
                projection_name      TEXT         PRIMARY KEY,
                last_transaction_id  XID8         NOT NULL DEFAULT '0',
                last_position        BIGINT       NOT NULL DEFAULT 0,
                status               TEXT         NOT NULL DEFAULT 'RUNNING'
                                                  CHECK (status IN ('RUNNING', 'PAUSED', 'PARKED')),
                failure_count        INT          NOT NULL DEFAULT 0,
                last_error           TEXT         NULL,
                failed_position      BIGINT       NULL,
                lease_owner          TEXT         NULL,
                lease_until          TIMESTAMPTZ  NULL,
                updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now()
            )""";

    @Test
    void aNodeWhoseHeartbeatExpiredRenewsIt() throws Exception {
        String projection = "heartbeat-" + UUID.randomUUID();
        try (AsyncProjections projections = runtime("sleepy", projection, 2)) {
            projections.drain();
            // As after a stall longer than a lease: the node's row has expired, nobody removed it yet.
            try (Connection connection = schema.connect(); PreparedStatement expire = connection.prepareStatement(
                    "UPDATE projection_checkpoints_nodes SET alive_until = now() - interval '1 second'"
                            + " WHERE projection_name = ?")) {
                expire.setString(1, projection);
                assertThat(expire.executeUpdate()).isEqualTo(1);
            }

            projections.drain();

            assertThat(schema.queryLong("SELECT count(*) FROM projection_checkpoints_nodes WHERE projection_name = '"
                    + projection + "' AND node = 'sleepy' AND alive_until > now()")).isEqualTo(1);
        }
        assertThat(schema.queryLong("SELECT count(*) FROM projection_checkpoints_nodes WHERE projection_name = '"
                + projection + "'")).as("a closed node forgets its heartbeat").isZero();
    }

    @Test
    void aSegmentCountOutOfRangeOrForAnUnknownProjectionIsRefused() {
        AsyncProjections.Builder builder = AsyncProjections.builder(dataSource, config)
                .register("known", Set.of(), new SegmentRecorder("known", "x"));

        assertThatThrownBy(() -> builder.segments("known", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and 256, was 0");
        assertThatThrownBy(() -> builder.segments("known", 257)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and 256, was 257");
        assertThatThrownBy(() -> builder.segments("unknown", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'unknown', which is not registered");
    }

    /**
     * Drains until {@code expected} events are handled and checks no more were: another session's open transaction
     * may hold the horizon for a moment, so one drain may find nothing readable yet.
     */
    private static void drainUntil(AsyncProjections projections, long expected) throws InterruptedException {
        long[] total = new long[1];
        await(WAIT_SECONDS, () -> (total[0] += projections.drain()) >= expected,
                () -> expected + " events drained, " + total[0] + " so far");
        assertThat(total[0]).isEqualTo(expected);
    }

    static String idInSegment(String type, int segment, int segments) {
        for (int i = 0; ; i++) {
            if (SegmentHash.segmentOf(type, "agg-" + i, segments) == segment) {
                return "agg-" + i;
            }
        }
    }

    private static void appendMany(String type, String id, int count, Set<UUID> committed) throws SQLException {
        try (Connection connection = schema.connect()) {
            for (int i = 0; i < count; i++) {
                Event event = Event.builder(type, id, "Happened").jsonPayload("{}").build();
                store.on(connection).append(ExpectedVersion.any(), event);
                committed.add(event.eventId());
            }
        }
    }

    private static List<UUID> seen(String projection) throws SQLException {
        return column(projection, "SELECT event_id FROM segment_seen WHERE projection = ?", UUID.class);
    }

    private static List<String> violations(String projection) throws SQLException {
        return column(projection, "SELECT what FROM segment_violations WHERE projection = ?", String.class);
    }

    private static List<String> nodesThatHandled(String projection) throws SQLException {
        return column(projection, "SELECT DISTINCT node FROM segment_seen WHERE projection = ? ORDER BY node",
                String.class);
    }

    private static <T> List<T> column(String projection, String sql, Class<T> type) throws SQLException {
        try (Connection connection = schema.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, projection);
            List<T> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getObject(1, type));
                }
            }
            return values;
        }
    }
}

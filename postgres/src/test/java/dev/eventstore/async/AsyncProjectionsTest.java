package dev.eventstore.async;

import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.PersistedEvent;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.ProjectionState;
import dev.eventstore.projection.ProjectionStatus;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.assertj.core.api.SoftAssertions;
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
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.eventstore.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Asynchronous projections on PostgreSQL. Every projection writes what it sees into {@code seen} in its batch
 * transaction, checking on the way that each aggregate's versions arrive as 1, 2, 3... with no gap and no repeat.
 */
class AsyncProjectionsTest {

    private static TestSchema schema;
    private static PGSimpleDataSource dataSource;
    private static String channel;
    private static StoreConfig config;
    private static PostgresEventStore store;

    @BeforeAll
    static void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(TestDatabase.layout(StoreConfig.defaults()));
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE seen (projection TEXT, event_id UUID, aggregate_id TEXT,"
                    + " version BIGINT, node TEXT, PRIMARY KEY (projection, event_id))");
            // No key: a replay onto rows that survived a reset must show up as extra rows, not as a failing insert.
            statement.execute("CREATE TABLE replayed (projection TEXT, event_id UUID, aggregate_id TEXT,"
                    + " version BIGINT)");
        }
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(schema.url());
        dataSource.setUser(schema.database().user());
        dataSource.setPassword(schema.database().password());
        channel = "es_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        config = TestDatabase.layout(StoreConfig.defaults()).withNotifyChannel(channel);
        store = PostgresEventStore.create(config);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    /** Records each event once, and fails loudly (in the batch) if a stream's versions arrive out of order. */
    private static AsyncProjectionHandler recorder(String projection, String node) {
        return new AsyncProjectionHandler() {
            @Override
            public void handle(Connection connection, List<PersistedEvent> events) throws SQLException {
                for (PersistedEvent event : events) {
                    long last = lastVersion(connection, projection, event.aggregateId());
                    if (event.aggregateVersion() != last + 1) {
                        throw new IllegalStateException("out of order: " + event.aggregateId() + " v"
                                + event.aggregateVersion() + " after v" + last);
                    }
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO seen VALUES (?, ?, ?, ?, ?)")) {
                        insert.setString(1, projection);
                        insert.setObject(2, event.eventId());
                        insert.setString(3, event.aggregateId());
                        insert.setLong(4, event.aggregateVersion());
                        insert.setString(5, node);
                        insert.executeUpdate();
                    }
                }
            }

            @Override
            public void reset(Connection connection) throws SQLException {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM seen WHERE projection = ?")) {
                    delete.setString(1, projection);
                    delete.executeUpdate();
                }
            }
        };
    }

    @Test
    void aLowerPositionCommittingLateIsSkippedByPositionReadersButNotByTheRuntime() throws Exception {
        String projection = "late-" + UUID.randomUUID();
        String early = UUID.randomUUID().toString();
        String later = UUID.randomUUID().toString();
        try (AsyncProjections projections = AsyncProjections.builder(dataSource, config)
                .register(projection, Set.of("Late"), recorder(projection, "a")).build();
             Connection slow = schema.begin(); Connection fast = schema.connect()) {
            projections.drain();
            long before = store.on(fast).latestGlobalPosition();

            // The slow transaction takes the lower position, the fast one commits a higher position first.
            PersistedEvent low = store.on(slow).append(ExpectedVersion.noStream(), event("Late", early)).events().get(0);
            PersistedEvent high = store.on(fast).append(ExpectedVersion.noStream(), event("Late", later)).events().get(0);
            assertThat(low.globalPosition()).isLessThan(high.globalPosition());

            // A reader that checkpoints on positions sees only the higher one now...
            List<PersistedEvent> naive = store.on(fast).readEvents(before, 100).stream()
                    .filter(e -> e.aggregateType().equals("Late")).toList();
            assertThat(naive).containsExactly(high);
            // ...and the runtime handles nothing yet: the older transaction is still open.
            assertThat(projections.drain()).isZero();
            assertThat(projections.status(projection).waitingForHorizon()).isEqualTo(1);

            slow.commit();
            // Resuming after the naive checkpoint never returns the low event: it would be lost.
            assertThat(store.on(fast).readEvents(high.globalPosition(), 100)).doesNotContain(low);
            assertThat(projections.drain()).isEqualTo(2);
        }
        assertThat(seenIds(projection)).containsExactly(eventId(early), eventId(later));
    }

    @Test
    void concurrentWritersWithRollbacksAndSlowCommitsAreProjectedExactlyOnceInStreamOrder() throws Exception {
        String projection = "load-" + UUID.randomUUID();
        List<String> hot = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        Set<UUID> committed = ConcurrentHashMap.newKeySet();
        Set<UUID> discarded = ConcurrentHashMap.newKeySet();
        try (AsyncProjections projections = AsyncProjections.builder(dataSource, config)
                .register(projection, Set.of("Load"), recorder(projection, "a"))
                .batchSize(7).pollInterval(Duration.ofMillis(50)).build()) {
            projections.start();
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                long seed = w;
                writers.add(CompletableFuture.runAsync(() -> write(seed, hot, committed, discarded)));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);

            await(() -> projections.status(projection).caughtUp(), "the projection catches up");
        }
        assertThat(committed).hasSizeGreaterThan(50);
        assertThat(seenIds(projection)).containsExactlyInAnyOrderElementsOf(committed);
        assertThat(seenIds(projection)).doesNotContainAnyElementsOf(discarded);
    }

    private static void write(long seed, List<String> hot, Set<UUID> committed, Set<UUID> discarded) {
        Random random = new Random(seed);
        try (Connection connection = schema.begin()) {
            for (int i = 0; i < 30; i++) {
                String id = random.nextInt(3) == 0 ? UUID.randomUUID().toString() : hot.get(random.nextInt(2));
                Event event = event("Load", id);
                try {
                    store.on(connection).append(ExpectedVersion.any(), event);
                    if (random.nextInt(6) == 0) {
                        connection.rollback();
                        discarded.add(event.eventId());
                        continue;
                    }
                    if (random.nextInt(5) == 0) {
                        Thread.sleep(random.nextInt(40)); // commit late, after younger transactions
                    }
                    connection.commit();
                    committed.add(event.eventId());
                } catch (OptimisticConcurrencyException e) {
                    connection.rollback();
                    discarded.add(event.eventId());
                }
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void twoRuntimesShareOneProjectionButOnlyTheLeaseHolderRunsItAndTheOtherTakesOver() throws Exception {
        String projection = "leased-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        AsyncProjections first = AsyncProjections.builder(dataSource, config).node("first")
                .register(projection, Set.of("Leased"), recorder(projection, "first"))
                .lease(Duration.ofMillis(800)).pollInterval(Duration.ofMillis(50)).build();
        try (AsyncProjections second = AsyncProjections.builder(dataSource, config).node("second")
                .register(projection, Set.of("Leased"), recorder(projection, "second"))
                .lease(Duration.ofMillis(800)).pollInterval(Duration.ofMillis(50)).build()) {
            first.start();
            await(() -> first.status(projection).leaseOwner().isPresent(), "the first node takes the lease");
            second.start();
            appendMany("Leased", id, 20);
            await(() -> first.status(projection).caughtUp(), "the events are handled");
            assertThat(nodesThatHandled(projection)).containsExactly("first");

            first.close();
            appendMany("Leased", id, 5);
            await(() -> second.status(projection).caughtUp(), "the second node takes over");
        }
        assertThat(nodesThatHandled(projection)).containsExactlyInAnyOrder("first", "second");
        assertThat(seenIds(projection)).hasSize(25);
    }

    @Test
    void aDeadNodesLeaseBlocksOthersOnlyUntilItExpires() throws Exception {
        String projection = "orphaned-" + UUID.randomUUID();
        try (AsyncProjections survivor = AsyncProjections.builder(dataSource, config).node("survivor")
                .register(projection, Set.of("Orphaned"), recorder(projection, "survivor")).build()) {
            survivor.drain();
            // A node that died holding the lease for another 1.5 s: it never renews nor releases it.
            try (Connection connection = schema.connect(); PreparedStatement crash = connection.prepareStatement(
                    "UPDATE projection_checkpoints SET lease_owner = 'dead', lease_until = now() + interval '1500"
                            + " milliseconds' WHERE projection_name = ?")) {
                crash.setString(1, projection);
                crash.executeUpdate();
            }
            appendMany("Orphaned", UUID.randomUUID().toString(), 3);

            assertThat(survivor.drain()).as("the lease is still the dead node's").isZero();
            assertThat(survivor.status(projection).leaseOwner()).contains("dead");
            Thread.sleep(1_600);
            assertThat(survivor.drain()).as("taken over once the lease expired").isEqualTo(3);
            assertThat(survivor.status(projection).leaseOwner()).contains("survivor");
        }
    }

    @Test
    void aFailingEventIsRetriedThenParkedWhileOtherProjectionsRunAndAResumeRecovers() throws Exception {
        String failing = "failing-" + UUID.randomUUID();
        String healthy = "healthy-" + UUID.randomUUID();
        AtomicBoolean broken = new AtomicBoolean(true);
        String id = UUID.randomUUID().toString();
        AsyncProjectionHandler flaky = (connection, events) -> {
            if (broken.get() && events.stream().anyMatch(e -> e.eventType().equals("Poison"))) {
                throw new IllegalStateException("cannot digest poison");
            }
            recorder(failing, "a").handle(connection, events);
        };
        try (AsyncProjections projections = AsyncProjections.builder(dataSource, config)
                .register(failing, Set.of("Flaky"), flaky)
                .register(healthy, Set.of("Flaky"), recorder(healthy, "a"))
                .maxFailures(3).backoff(Duration.ofMillis(20), Duration.ofMillis(100))
                .pollInterval(Duration.ofMillis(30)).build()) {
            projections.start();
            store.on(schema.connect()).append(ExpectedVersion.noStream(), List.of(event("Flaky", id),
                    Event.builder("Flaky", id, "Poison").build(), event("Flaky", id)));

            await(() -> projections.status(failing).state() == ProjectionState.PARKED, "the projection parks");
            ProjectionStatus parked = projections.status(failing);
            assertThat(parked.failureCount()).isEqualTo(3);
            assertThat(parked.lastError()).hasValueSatisfying(error -> assertThat(error)
                    .contains("cannot digest poison").contains("Poison").contains("v2"));
            assertThat(parked.failedPosition()).isPresent();
            assertThat(seenIds(failing)).hasSize(1).as("the event before the poison got through");
            await(() -> projections.status(healthy).caughtUp(), "the other projection keeps running");

            broken.set(false);
            projections.resume(failing);
            await(() -> projections.status(failing).caughtUp(), "the resumed projection catches up");
            assertThat(projections.status(failing).state()).isEqualTo(ProjectionState.RUNNING);
            assertThat(projections.status(failing).lastError()).isEmpty();
        }
        assertThat(seenIds(failing)).hasSize(3);
    }

    @Test
    void aPausedProjectionWaitsAndAResumedOneContinues() throws Exception {
        String projection = "paused-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        try (AsyncProjections projections = AsyncProjections.builder(dataSource, config)
                .register(projection, Set.of("Paused"), recorder(projection, "a")).build()) {
            projections.drain();
            projections.pause(projection);
            appendMany("Paused", id, 4);

            assertThat(projections.drain()).isZero();
            assertThat(projections.status(projection).state()).isEqualTo(ProjectionState.PAUSED);
            assertThat(projections.status(projection).lagEvents()).isEqualTo(4);

            projections.resume(projection);
            assertThat(projections.drain()).isEqualTo(4);
        }
    }

    @Test
    void aRebuildReproducesTheLiveResult() throws Exception {
        String projection = "rebuilt-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            appendMany("Rebuilt", UUID.randomUUID().toString(), 7);
        }
        try (AsyncProjections projections = AsyncProjections.builder(dataSource, config)
                .register(projection, Set.of("Rebuilt"), recorder(projection, "a")).batchSize(4).build()) {
            projections.drain();
            List<UUID> live = seenIds(projection);

            projections.rebuild(projection);
            assertThat(seenIds(projection)).isEmpty();
            assertThat(projections.status(projection).lastPosition()).isZero();
            projections.drain();

            assertThat(seenIds(projection)).hasSize(35).containsExactlyElementsOf(live);
        }
    }

    @Test
    void aRebuildDuringABatchWaitsForItThenReplaysEveryEventExactlyOnceInStreamOrder() throws Exception {
        String projection = "rebuilt-mid-batch-" + UUID.randomUUID();
        String type = "MidBatch" + UUID.randomUUID().toString().substring(0, 8);
        List<UUID> appended = new ArrayList<>();
        List<String> aggregates = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), UUID.randomUUID().toString());
        try (Connection connection = schema.connect()) {
            for (int i = 0; i < 40; i++) {
                appended.add(store.on(connection).append(ExpectedVersion.any(), event(type, aggregates.get(i % 4)))
                        .events().get(0).eventId());
            }
        }
        BlockingReplayRecorder handler = new BlockingReplayRecorder(projection, 2);
        String applicationName = "rebuild-" + UUID.randomUUID().toString().substring(0, 8);
        ExecutorService threads = Executors.newCachedThreadPool();
        try (AsyncProjections projections = AsyncProjections.builder(namedDataSource(applicationName), config)
                .register(projection, Set.of(type), handler).batchSize(10).build()) {
            // given batch 2 in flight: its rows written, not yet committed
            Future<Long> catchingUp = threads.submit(projections::drain);
            assertThat(handler.blocked.await(30, TimeUnit.SECONDS)).as("batch 2 starts").isTrue();

            // when a rebuild starts and has to wait for that batch
            Future<?> rebuild = threads.submit(() -> projections.rebuild(projection));
            await(() -> waitingForALock(applicationName), "the rebuild waits for the batch's checkpoint lock");
            handler.release.countDown();
            rebuild.get(30, TimeUnit.SECONDS);
            catchingUp.get(30, TimeUnit.SECONDS);
            projections.drain();
            assertThat(projections.status(projection).caughtUp()).isTrue();
        } finally {
            handler.release.countDown();
            threads.shutdownNow();
        }

        // then nothing of the batch survives the reset, and the replay handles every event once, in order
        List<UUID> rows = replayedIds(projection);
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(rows).as("read-model rows").hasSize(40).containsExactlyInAnyOrderElementsOf(appended);
            softly.assertThat(handler.orderViolations).as("versions out of stream order").isEmpty();
            softly.assertThat(handler.handledSinceReset).as("events handled since the reset")
                    .hasSize(40).containsExactlyInAnyOrderElementsOf(appended);
        });
    }

    @Test
    void aRebuildOfAProjectionWithoutResetIsRefusedAndChangesNothing() throws Exception {
        String projection = "no-reset-" + UUID.randomUUID();
        appendMany("NoReset", UUID.randomUUID().toString(), 3);
        AsyncProjectionHandler withoutReset = (connection, events) -> recorder(projection, "a").handle(connection,
                events);
        try (AsyncProjections projections = AsyncProjections.builder(dataSource, config)
                .register(projection, Set.of("NoReset"), withoutReset).build()) {
            // drain() handles what is below the cluster-wide horizon now: another session's open transaction may
            // hold the three events back for a moment, so drain until they are all handled.
            await(() -> {
                projections.drain();
                return seenIds(projection).size() == 3;
            }, "the three events are handled before the rebuild is tried");
            ProjectionStatus before = projections.status(projection);

            assertThatThrownBy(() -> projections.rebuild(projection))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'" + projection + "'")
                    .hasMessageContaining("declares no reset")
                    .hasMessageContaining("reset(Connection)")
                    .hasMessageContaining("@ProjectionReset");

            assertThat(projections.status(projection).lastPosition()).isEqualTo(before.lastPosition());
            assertThat(projections.status(projection).lastTransactionId()).isEqualTo(before.lastTransactionId());
            assertThat(projections.drain()).isZero();
        }
        assertThat(seenIds(projection)).hasSize(3);
    }

    @Test
    void theListenerWakesTheRuntimeAndSurvivesItsConnectionBeingKilled() throws Exception {
        String projection = "listened-" + UUID.randomUUID();
        String node = "listener-" + UUID.randomUUID().toString().substring(0, 8);
        String id = UUID.randomUUID().toString();
        try (AsyncProjections projections = AsyncProjections.builder(dataSource, config).node(node)
                .register(projection, Set.of("Listened"), recorder(projection, node))
                .pollInterval(Duration.ofMinutes(5)).build()) {
            projections.start();
            await(() -> listenerPid(node) > 0, "the listener connects");
            appendMany("Listened", id, 1);
            await(() -> seenIds(projection).size() == 1, "a notification wakes the runtime (no poll for 5 minutes)");

            int killed = listenerPid(node);
            try (Connection killer = schema.connect(); Statement statement = killer.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(" + killed + ")");
            }
            await(() -> listenerPid(node) > 0 && listenerPid(node) != killed, "the listener reconnects");
            appendMany("Listened", id, 1);
            await(() -> seenIds(projection).size() == 2, "notifications wake it again after the reconnect");
        }
    }

    @Test
    void aTransactionHoldingTheHorizonIsReportedInsteadOfAStallGoingUnexplained() throws Exception {
        String projection = "horizon-" + UUID.randomUUID();
        try (AsyncProjections projections = AsyncProjections.builder(dataSource, config)
                .register(projection, Set.of("Horizon"), recorder(projection, "a")).build();
             Connection idle = schema.begin()) {
            projections.drain();
            store.on(idle).append(ExpectedVersion.noStream(), event("Other", UUID.randomUUID().toString()));
            int idlePid = idle.unwrap(org.postgresql.PGConnection.class).getBackendPID();
            appendMany("Horizon", UUID.randomUUID().toString(), 2);

            assertThat(projections.drain()).isZero();
            ProjectionStatus status = projections.status(projection);
            assertThat(status.waitingForHorizon()).isEqualTo(2);
            assertThat(status.horizonHolder()).hasValueSatisfying(holder -> {
                assertThat(holder.pid()).isEqualTo(idlePid);
                assertThat(holder.state()).isEqualTo("idle in transaction");
            });

            idle.rollback();
            assertThat(projections.drain()).isEqualTo(2);
            assertThat(projections.status(projection).waitingForHorizon()).isZero();
        }
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> AsyncProjections.builder(dataSource, config).build())
                .hasMessageContaining("register at least one projection");
        assertThatThrownBy(() -> AsyncProjections.builder(dataSource, config).register(" ", Set.of(), (c, e) -> { }))
                .hasMessageContaining("name must not be blank");
        assertThatThrownBy(() -> AsyncProjections.builder(dataSource, config).register("x", Set.of(), (c, e) -> { })
                .register("x", Set.of(), (c, e) -> { })).hasMessageContaining("registered twice");
        assertThatThrownBy(() -> AsyncProjections.builder(dataSource, config).batchSize(0))
                .hasMessageContaining("batchSize");
        assertThatThrownBy(() -> AsyncProjections.builder(dataSource, config).lease(Duration.ZERO))
                .hasMessageContaining("lease must be positive");
        try (AsyncProjections projections = AsyncProjections.builder(dataSource, config)
                .register("known", Set.of(), (c, e) -> { }).build()) {
            assertThatThrownBy(() -> projections.status("unknown")).hasMessageContaining("Unknown projection");
        }
    }

    private static Event event(String type, String id) {
        return Event.builder(type, id, "Happened").jsonPayload("{}").build();
    }

    private static void appendMany(String type, String id, int count) throws SQLException {
        try (Connection connection = schema.connect()) {
            for (int i = 0; i < count; i++) {
                store.on(connection).append(ExpectedVersion.any(), event(type, id));
            }
        }
    }

    private static long lastVersion(Connection connection, String projection, String aggregateId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT coalesce(max(version), 0) FROM seen WHERE projection = ? AND aggregate_id = ?")) {
            query.setString(1, projection);
            query.setString(2, aggregateId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static UUID eventId(String aggregateId) throws SQLException {
        try (Connection connection = schema.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT event_id FROM events WHERE aggregate_id = ?")) {
            query.setString(1, aggregateId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getObject(1, UUID.class);
            }
        }
    }

    /** Event ids the projection recorded, in the order it recorded them. */
    private static List<UUID> seenIds(String projection) {
        try (Connection connection = schema.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT s.event_id FROM seen s JOIN events e ON e.event_id = s.event_id WHERE s.projection = ?"
                        + " ORDER BY e.transaction_id, e.global_position")) {
            query.setString(1, projection);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> nodesThatHandled(String projection) throws SQLException {
        try (Connection connection = schema.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT DISTINCT node FROM seen WHERE projection = ? ORDER BY node")) {
            query.setString(1, projection);
            List<String> nodes = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    nodes.add(rows.getString(1));
                }
            }
            return nodes;
        }
    }

    private static int listenerPid(String node) {
        try (Connection connection = schema.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE application_name = ? ORDER BY backend_start DESC LIMIT 1")) {
            query.setString(1, "eventstore-listener-" + node);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes each event it handles as a row of {@code replayed} and notes every version that does not follow the
     * stream's last row. Its {@code blockedBatch}-th batch, once, waits after writing its rows until released.
     */
    private static final class BlockingReplayRecorder implements AsyncProjectionHandler {
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> orderViolations = new CopyOnWriteArrayList<>();
        final List<UUID> handledSinceReset = new CopyOnWriteArrayList<>();
        private final String projection;
        private final int blockedBatch;
        private final AtomicInteger batches = new AtomicInteger();

        BlockingReplayRecorder(String projection, int blockedBatch) {
            this.projection = projection;
            this.blockedBatch = blockedBatch;
        }

        @Override
        public void handle(Connection connection, List<PersistedEvent> events) throws Exception {
            for (PersistedEvent event : events) {
                long last;
                try (PreparedStatement query = connection.prepareStatement("SELECT coalesce(max(version), 0)"
                        + " FROM replayed WHERE projection = ? AND aggregate_id = ?")) {
                    query.setString(1, projection);
                    query.setString(2, event.aggregateId());
                    try (ResultSet row = query.executeQuery()) {
                        row.next();
                        last = row.getLong(1);
                    }
                }
                if (event.aggregateVersion() != last + 1) {
                    orderViolations.add(event.aggregateId() + " v" + event.aggregateVersion() + " after v" + last);
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO replayed VALUES (?, ?, ?, ?)")) {
                    insert.setString(1, projection);
                    insert.setObject(2, event.eventId());
                    insert.setString(3, event.aggregateId());
                    insert.setLong(4, event.aggregateVersion());
                    insert.executeUpdate();
                }
                handledSinceReset.add(event.eventId());
            }
            if (batches.incrementAndGet() == blockedBatch) {
                blocked.countDown();
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("batch " + blockedBatch + " was never released");
                }
            }
        }

        @Override
        public void reset(Connection connection) throws SQLException {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM replayed WHERE projection = ?")) {
                delete.setString(1, projection);
                delete.executeUpdate();
            }
            handledSinceReset.clear();
        }
    }

    /** A data source whose connections carry {@code applicationName}, to find them in {@code pg_stat_activity}. */
    private static PGSimpleDataSource namedDataSource(String applicationName) {
        PGSimpleDataSource named = new PGSimpleDataSource();
        named.setURL(schema.url());
        named.setUser(schema.database().user());
        named.setPassword(schema.database().password());
        named.setApplicationName(applicationName);
        return named;
    }

    private static boolean waitingForALock(String applicationName) {
        try (Connection connection = schema.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'")) {
            query.setString(1, applicationName);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<UUID> replayedIds(String projection) throws SQLException {
        try (Connection connection = schema.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT event_id FROM replayed WHERE projection = ?")) {
            query.setString(1, projection);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

}

package dev.eventstore.postgres;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.EventStoreException;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.eventstore.postgres.StoreFixture.events;
import static dev.eventstore.postgres.StoreFixture.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store under load and faults, checked afterwards from the database itself. 16 writers append to a few hot
 * aggregates with stale expectations on purpose and roll back at random; then every stream must be gap-free and
 * duplicate-free, hold exactly the committed events, and agree with its head row. A short form runs in every build;
 * {@code -Deventstore.proof.iterations=2000} runs a long one.
 */
class LoadAndFaultProofTest {

    private static final int WRITERS = 16;
    private static final int ITERATIONS = Integer.getInteger("eventstore.proof.iterations", 40);
    private static final int AGGREGATES = 12;
    /** The load test's own aggregate type, so the fault tests in the same schema never blur its counts. */
    private static final String LOAD = "Load";
    private static final PostgresEventStore STORE = PostgresEventStore.create(StoreConfig.defaults());

    private static TestSchema schema;

    @BeforeAll
    static void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    @Test
    void concurrentWritersWithRacesAndRollbacksLeaveExactlyTheCommittedEventsInGapFreeStreams() throws Exception {
        List<String> aggregates = new ArrayList<>();
        for (int i = 0; i < AGGREGATES; i++) {
            aggregates.add(newId());
        }
        Set<UUID> committed = ConcurrentHashMap.newKeySet();
        Set<UUID> notCommitted = ConcurrentHashMap.newKeySet();
        AtomicLong conflicts = new AtomicLong();
        AtomicLong rollbacks = new AtomicLong();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                long seed = 1000L + w;
                runs.add(CompletableFuture.runAsync(() -> write(seed, aggregates, committed, notCommitted, conflicts,
                        rollbacks), writers));
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        } finally {
            writers.shutdownNow();
        }

        assertThat(conflicts.get()).as("the races really happened").isPositive();
        assertThat(rollbacks.get()).as("the rollbacks really happened").isPositive();
        Map<UUID, Integer> stored = storedEventIds();
        assertThat(stored.values()).as("no event id twice").allMatch(count -> count == 1);
        assertThat(stored.keySet()).as("exactly the committed events").isEqualTo(committed);
        assertThat(notCommitted).as("no rolled-back or rejected event").doesNotContainAnyElementsOf(stored.keySet());
        assertStreamsAreGapFreeAndMatchTheirHeads();
    }

    private static void write(long seed, List<String> aggregates, Set<UUID> committed, Set<UUID> notCommitted,
                              AtomicLong conflicts, AtomicLong rollbacks) {
        Random random = new Random(seed);
        try (Connection connection = schema.begin()) {
            EventStore store = STORE.on(connection);
            for (int i = 0; i < ITERATIONS; i++) {
                String id = aggregates.get(random.nextInt(aggregates.size()));
                long version = store.readAggregateStream(LOAD, id).version();
                // A stale expectation on purpose now and then; any() sometimes.
                ExpectedVersion expected = random.nextInt(10) == 0 ? ExpectedVersion.any()
                        : ExpectedVersion.exact(random.nextInt(4) == 0 ? Math.max(0, version - 1) : version);
                List<Event> batch = events(LOAD, id, 1 + random.nextInt(3));
                List<UUID> ids = batch.stream().map(Event::eventId).toList();
                try {
                    store.append(expected, batch);
                    if (random.nextInt(5) == 0) {
                        connection.rollback();
                        rollbacks.incrementAndGet();
                        notCommitted.addAll(ids);
                    } else {
                        connection.commit();
                        committed.addAll(ids);
                    }
                } catch (OptimisticConcurrencyException e) {
                    conflicts.incrementAndGet();
                    connection.rollback();
                    notCommitted.addAll(ids);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aConnectionKilledDuringALargeAppendLeavesNothingAndTheStoreRecovers() throws Exception {
        String id = newId();
        List<Event> large = events("Order", id, 50_000);
        Connection doomed = schema.begin();
        int pid = doomed.unwrap(org.postgresql.PGConnection.class).getBackendPID();

        CompletableFuture<Object> append = CompletableFuture.supplyAsync(() -> {
            try {
                return STORE.on(doomed).append(ExpectedVersion.noStream(), large);
            } catch (RuntimeException e) {
                return e;
            }
        });
        boolean killedWhileRunning = awaitActiveAndTerminate(pid);
        Object outcome = append.get(60, TimeUnit.SECONDS);
        if (!(outcome instanceof RuntimeException)) {
            // The statement was faster than the observer; kill before commit instead, which must end the same way.
            terminate(pid);
            assertThatThrownBy(doomed::commit).isInstanceOf(SQLException.class);
        } else {
            assertThat(killedWhileRunning).isTrue();
            assertThat((RuntimeException) outcome).isInstanceOf(EventStoreException.class)
                    .hasMessageContaining("Order/" + id);
        }
        assertThat(doomed.isValid(1)).isFalse();
        doomed.close();

        assertThat(schema.queryLong("SELECT count(*) FROM events WHERE aggregate_id = '" + id + "'")).isZero();
        assertThat(schema.queryLong("SELECT count(*) FROM aggregate_heads WHERE aggregate_id = '" + id + "'")).isZero();
        try (Connection fresh = schema.connect()) {
            assertThat(STORE.on(fresh).append(ExpectedVersion.noStream(), events("Order", id, 3)).toVersion())
                    .isEqualTo(3);
        }
    }

    @Test
    void aConnectionKilledAfterTheAppendBeforeCommitLeavesNothing() throws Exception {
        String id = newId();
        Connection doomed = schema.begin();
        STORE.on(doomed).append(ExpectedVersion.noStream(), events("Order", id, 10));

        terminate(doomed.unwrap(org.postgresql.PGConnection.class).getBackendPID());

        assertThatThrownBy(doomed::commit).isInstanceOf(SQLException.class);
        doomed.close();
        assertThat(schema.queryLong("SELECT count(*) FROM events WHERE aggregate_id = '" + id + "'")).isZero();
        try (Connection fresh = schema.connect()) {
            assertThat(STORE.on(fresh).readAggregateStream("Order", id).isEmpty()).isTrue();
        }
    }

    /** Waits for the backend to run the append statement, then terminates it; false if it finished first. */
    private static boolean awaitActiveAndTerminate(int pid) throws Exception {
        try (Connection observer = schema.connect();
             PreparedStatement running = observer.prepareStatement(
                     "SELECT 1 FROM pg_stat_activity WHERE pid = ? AND state = 'active' AND query LIKE '%WITH head AS%'")) {
            running.setInt(1, pid);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try (ResultSet row = running.executeQuery()) {
                    if (row.next()) {
                        terminate(pid);
                        return true;
                    }
                }
                Thread.sleep(2);
            }
        }
        return false;
    }

    private static void terminate(int pid) throws SQLException {
        try (Connection killer = schema.connect(); Statement statement = killer.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(" + pid + ")");
        }
    }

    private static Map<UUID, Integer> storedEventIds() throws SQLException {
        Map<UUID, Integer> ids = new HashMap<>();
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT event_id FROM events WHERE aggregate_type = 'Load'")) {
            while (rows.next()) {
                ids.merge(rows.getObject(1, UUID.class), 1, Integer::sum);
            }
        }
        return ids;
    }

    private static void assertStreamsAreGapFreeAndMatchTheirHeads() throws SQLException {
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            try (ResultSet broken = statement.executeQuery("""
                    SELECT aggregate_id, count(*), count(DISTINCT aggregate_version), min(aggregate_version),
                           max(aggregate_version)
                    FROM events WHERE aggregate_type = 'Load'
                    GROUP BY aggregate_id
                    HAVING count(*) <> max(aggregate_version) OR count(DISTINCT aggregate_version) <> count(*)
                        OR min(aggregate_version) <> 1""")) {
                Set<String> gappy = new HashSet<>();
                while (broken.next()) {
                    gappy.add(broken.getString(1));
                }
                assertThat(gappy).as("streams with holes or duplicate versions").isEmpty();
            }
            try (ResultSet mismatched = statement.executeQuery("""
                    SELECT h.aggregate_id FROM aggregate_heads h
                    LEFT JOIN (SELECT aggregate_type, aggregate_id, max(aggregate_version) AS version
                               FROM events GROUP BY aggregate_type, aggregate_id) e
                      ON e.aggregate_type = h.aggregate_type AND e.aggregate_id = h.aggregate_id
                    WHERE e.version IS DISTINCT FROM h.aggregate_version""")) {
                assertThat(mismatched.next()).as("a head row disagrees with its events").isFalse();
            }
        }
    }
}

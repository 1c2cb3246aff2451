package dev.eventstore.postgres;

import dev.eventstore.AppendResult;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.eventstore.ExpectedVersion.any;
import static dev.eventstore.ExpectedVersion.exact;
import static dev.eventstore.ExpectedVersion.noStream;
import static dev.eventstore.postgres.StoreFixture.event;
import static dev.eventstore.postgres.StoreFixture.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two open transactions racing on one aggregate. The second one blocks on the head row until the first finishes; the
 * tests wait until PostgreSQL reports it waiting on a lock, so the interleaving is deterministic.
 */
class ConcurrentAppendTest {

    private static final PostgresEventStore STORE = PostgresEventStore.create(TestDatabase.layout(StoreConfig.defaults()));
    private static TestSchema schema;

    @BeforeAll
    static void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(TestDatabase.layout(StoreConfig.defaults()));
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    @Test
    void twoTransactionsWithTheSameExpectedVersionOneCommitsTheOtherConflicts() throws Exception {
        String id = newId();
        try (Connection setup = schema.connect()) {
            STORE.on(setup).append(noStream(), event("Order", id, "OrderPlaced"));
        }
        assertRace(id, exact(1), exact(1), 2);
    }

    @Test
    void twoTransactionsCreatingTheSameStreamOneCommitsTheOtherConflicts() throws Exception {
        assertRace(newId(), noStream(), noStream(), 1);
    }

    @Test
    void theLoserProceedsWhenTheWinnerRollsBack() throws Exception {
        String id = newId();
        try (Connection first = schema.begin(); Connection second = schema.begin()) {
            STORE.on(first).append(noStream(), event("Order", id, "OrderPlaced"));
            CompletableFuture<AppendResult> blocked = CompletableFuture.supplyAsync(
                    () -> STORE.on(second).append(noStream(), event("Order", id, "OrderPlaced")));
            awaitLockWait(second);

            first.rollback();

            assertThat(blocked.get(10, TimeUnit.SECONDS).toVersion()).isEqualTo(1);
            second.commit();
        }
        assertThat(eventCount(id)).isEqualTo(1);
    }

    @Test
    void anyAppendsFromTwoTransactionsSerialiseWithoutConflict() throws Exception {
        String id = newId();
        try (Connection first = schema.begin(); Connection second = schema.begin()) {
            STORE.on(first).append(any(), event("Order", id, "A"));
            CompletableFuture<AppendResult> blocked = CompletableFuture.supplyAsync(
                    () -> STORE.on(second).append(any(), event("Order", id, "B")));
            awaitLockWait(second);

            first.commit();

            assertThat(blocked.get(10, TimeUnit.SECONDS).toVersion()).isEqualTo(2);
            second.commit();
        }
        assertThat(eventCount(id)).isEqualTo(2);
    }

    @Test
    void aStaleExpectationFailsAtOnceInsteadOfQueueingBehindAnAppendInFlight() throws Exception {
        String id = newId();
        try (Connection setup = schema.connect()) {
            STORE.on(setup).append(noStream(), event("Order", id, "OrderPlaced"));
            STORE.on(setup).append(exact(1), event("Order", id, "OrderLineAdded"));
        }
        try (Connection inFlight = schema.begin(); Connection stale = schema.begin()) {
            STORE.on(inFlight).append(any(), event("Order", id, "OrderLineAdded")); // holds the aggregate's lock

            // Both expectations are behind the committed version 2, so they cannot succeed whatever happens to the
            // append in flight: they are refused while it is still open, not after it ends.
            CompletableFuture<Throwable> staleExact = CompletableFuture.supplyAsync(() -> refusal(
                    () -> STORE.on(stale).append(exact(1), event("Order", id, "Stale"))));
            assertThat(staleExact.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(
                    OptimisticConcurrencyException.class, e -> assertThat(e.actualVersion()).hasValue(2));
            stale.rollback();
            CompletableFuture<Throwable> staleCreate = CompletableFuture.supplyAsync(() -> refusal(
                    () -> STORE.on(stale).append(noStream(), event("Order", id, "Stale"))));
            assertThat(staleCreate.get(10, TimeUnit.SECONDS)).isInstanceOf(OptimisticConcurrencyException.class);
            stale.rollback();

            inFlight.commit();
        }
        assertThat(eventCount(id)).isEqualTo(3);
    }

    private static Throwable refusal(Runnable append) {
        try {
            append.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    void anOlderTransactionMayNotAppendAfterANewerOneCommittedToTheSameStream() throws Exception {
        // Transaction ids must follow version order within a stream, or gap-aware consumers that read in
        // (transaction id, position) order would see version 2 before version 1.
        String earlyStream = newId();
        String contested = newId();
        try (Connection older = schema.begin(); Connection newer = schema.begin()) {
            STORE.on(older).append(noStream(), event("Order", earlyStream, "OrderPlaced")); // takes the older xid
            STORE.on(newer).append(noStream(), event("Order", contested, "OrderPlaced"));
            newer.commit();

            assertThatThrownBy(() -> STORE.on(older).append(any(), event("Order", contested, "OrderLineAdded")))
                    .isInstanceOfSatisfying(OptimisticConcurrencyException.class, e -> {
                        assertThat(e.actualVersion()).hasValue(1);
                        assertThat(e).hasMessageContaining("the aggregate is at version 1, which expected any()"
                                        + " accepts")
                                .hasMessageContaining("this transaction (id ")
                                .hasMessageContaining("had already written before this append")
                                .hasMessageContaining("a newer transaction (id ")
                                .hasMessageContaining("retryable")
                                .hasMessageNotContaining("actual version");
                    });
            assertThatThrownBy(() -> STORE.on(older).append(exact(1), event("Order", contested, "OrderLineAdded")))
                    .isInstanceOf(OptimisticConcurrencyException.class);
            older.rollback();
        }
        try (Connection retry = schema.begin()) {
            assertThat(STORE.on(retry).append(exact(1), event("Order", contested, "OrderLineAdded")).toVersion())
                    .isEqualTo(2);
            retry.commit();
        }
        assertThat(eventCount(contested)).isEqualTo(2);
    }

    @Test
    void aTransactionThatWroteOtherRowsFirstIsRefusedRetryablyAndItsRetrySucceeds() throws Exception {
        // The JPA-first case: the transaction holds a transaction id from an earlier write when it appends.
        String id = newId();
        try (Connection setup = schema.connect(); var statement = setup.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS read_model_rows (id TEXT PRIMARY KEY)");
        }
        try (Connection jpaFirst = schema.begin(); Connection other = schema.begin()) {
            try (var insert = jpaFirst.prepareStatement("INSERT INTO read_model_rows VALUES (?)")) {
                insert.setString(1, id);
                insert.executeUpdate();
            }
            STORE.on(other).append(any(), event("Order", id, "OrderPlaced"));
            other.commit();

            assertThatThrownBy(() -> STORE.on(jpaFirst).append(exact(1), event("Order", id, "OrderLineAdded")))
                    .isInstanceOfSatisfying(OptimisticConcurrencyException.class, e -> {
                        assertThat(e.actualVersion()).hasValue(1);
                        assertThat(e).hasMessageContaining("had already written before this append")
                                .hasMessageContaining("retryable");
                    });
            jpaFirst.rollback();
        }
        try (Connection retry = schema.begin()) {
            try (var insert = retry.prepareStatement("INSERT INTO read_model_rows VALUES (?)")) {
                insert.setString(1, id);
                insert.executeUpdate();
            }
            assertThat(STORE.on(retry).append(exact(1), event("Order", id, "OrderLineAdded")).toVersion())
                    .isEqualTo(2);
            retry.commit();
        }
        assertThat(eventCount(id)).isEqualTo(2);
    }

    private static void assertRace(String id, ExpectedVersion winnerExpects, ExpectedVersion loserExpects,
                                   long winnerVersion) throws Exception {
        try (Connection winner = schema.begin(); Connection loser = schema.begin()) {
            STORE.on(winner).append(winnerExpects, event("Order", id, "Winner"));
            CompletableFuture<AppendResult> blocked = CompletableFuture.supplyAsync(
                    () -> STORE.on(loser).append(loserExpects, event("Order", id, "Loser")));
            awaitLockWait(loser);

            winner.commit();

            assertThatThrownBy(() -> blocked.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(OptimisticConcurrencyException.class, e -> {
                        assertThat(e.expectedVersion()).isEqualTo(loserExpects);
                        assertThat(e.actualVersion()).hasValue(winnerVersion);
                    });
            loser.rollback();
        }
        try (Connection check = schema.connect()) {
            var stream = STORE.on(check).readAggregateStream("Order", id);
            assertThat(stream.version()).isEqualTo(winnerVersion);
            assertThat(stream.events()).extracting(e -> e.eventType()).doesNotContain("Loser");
        }
    }

    /** Waits until the backend of {@code waiting} is blocked on a lock held by another transaction. */
    private static void awaitLockWait(Connection waiting) throws Exception {
        int pid = waiting.unwrap(org.postgresql.PGConnection.class).getBackendPID();
        try (Connection observer = schema.connect();
             PreparedStatement query = observer.prepareStatement(
                     "SELECT wait_event_type FROM pg_stat_activity WHERE pid = ?")) {
            query.setInt(1, pid);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (ResultSet row = query.executeQuery()) {
                    if (row.next() && "Lock".equals(row.getString(1))) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("the second transaction never waited for the aggregate's lock");
    }

    private static long eventCount(String id) throws SQLException {
        return schema.queryLong("SELECT count(*) FROM events WHERE aggregate_id = '" + id + "'");
    }
}

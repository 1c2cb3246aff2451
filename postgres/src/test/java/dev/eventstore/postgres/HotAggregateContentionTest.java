package dev.eventstore.postgres;

import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.PersistedEvent;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static dev.eventstore.ExpectedVersion.any;
import static dev.eventstore.ExpectedVersion.exact;
import static dev.eventstore.postgres.StoreFixture.event;
import static dev.eventstore.postgres.StoreFixture.newId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Eight writers hammering one aggregate. A transaction that had written nothing before its append must never be
 * refused by the transaction-order guard: {@code any()} always succeeds, and {@code exact(n)} fails only when the
 * aggregate really is at another version. Afterwards the stream is complete, gap-free, free of duplicates, its head
 * agrees with it, and transaction-id order equals version order (what gap-aware consumers rely on).
 */
class HotAggregateContentionTest {

    private static final int WRITERS = 8;
    private static final int APPENDS_PER_WRITER = 150;
    private static final int TOTAL = WRITERS * APPENDS_PER_WRITER;

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
    void anyIsNeverRefusedInAutoCommit() throws Exception {
        String id = newId();
        Set<UUID> sent = ConcurrentHashMap.newKeySet();
        List<Throwable> refusals = runWriters(connection -> {
            var event = event("Order", id, "LineAdded");
            STORE.on(connection).append(any(), event);
            sent.add(event.eventId());
        }, true);

        assertThat(refusals).isEmpty();
        assertStreamIsExact(id, sent);
    }

    @Test
    void anyIsNeverRefusedInExplicitTransactions() throws Exception {
        String id = newId();
        Set<UUID> sent = ConcurrentHashMap.newKeySet();
        List<Throwable> refusals = runWriters(connection -> {
            var event = event("Order", id, "LineAdded");
            // A read first: it takes no transaction id, so the transaction is still "fresh" when it appends.
            STORE.on(connection).readAggregateStream("Order", id);
            STORE.on(connection).append(any(), event);
            connection.commit();
            sent.add(event.eventId());
        }, false);

        assertThat(refusals).isEmpty();
        assertStreamIsExact(id, sent);
    }

    @Test
    void exactWithTheCurrentVersionIsRefusedOnlyWhenTheVersionReallyMoved() throws Exception {
        String id = newId();
        Set<UUID> sent = ConcurrentHashMap.newKeySet();
        List<Throwable> wrongRefusals = runWriters(connection -> {
            EventStore events = STORE.on(connection);
            var event = event("Order", id, "LineAdded");
            long current = events.readAggregateStream("Order", id).version();
            while (true) {
                try {
                    events.append(exact(current), event);
                    connection.commit();
                    sent.add(event.eventId());
                    return;
                } catch (OptimisticConcurrencyException e) {
                    connection.rollback();
                    if (e.actualVersion().isEmpty() || e.actualVersion().getAsLong() == current) {
                        throw e; // refused although the expectation held: the bug this test guards against
                    }
                    current = e.actualVersion().getAsLong();
                }
            }
        }, false);

        assertThat(wrongRefusals).isEmpty();
        assertStreamIsExact(id, sent);
    }

    @Test
    void anyAndExactWritersMixedOnOneAggregateRefuseNothingButGenuineConflicts() throws Exception {
        // exact(n) and noStream() share the aggregate's lock while any() takes it alone: the mix must keep both
        // promises at once.
        String id = newId();
        Set<UUID> sent = ConcurrentHashMap.newKeySet();
        AtomicInteger writerNumber = new AtomicInteger();
        ThreadLocal<Boolean> usesAny = ThreadLocal.withInitial(() -> writerNumber.getAndIncrement() % 2 == 0);
        List<Throwable> wrongRefusals = runWriters(connection -> {
            EventStore events = STORE.on(connection);
            var event = event("Order", id, "LineAdded");
            long current = events.readAggregateStream("Order", id).version();
            while (true) {
                ExpectedVersion expected = usesAny.get() ? any() : exact(current);
                try {
                    events.append(expected, event);
                    connection.commit();
                    sent.add(event.eventId());
                    return;
                } catch (OptimisticConcurrencyException e) {
                    connection.rollback();
                    if (expected.isAny() || e.actualVersion().isEmpty()
                            || e.actualVersion().getAsLong() == current) {
                        throw e;
                    }
                    current = e.actualVersion().getAsLong();
                }
            }
        }, false);

        assertThat(wrongRefusals).isEmpty();
        assertStreamIsExact(id, sent);
    }

    /** Runs the writers to completion and returns every exception they met, so a failure lists all refusals. */
    private static List<Throwable> runWriters(Append append, boolean autoCommit) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Throwable> failures = new ArrayList<>();
        try {
            List<Future<List<Throwable>>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                writers.add(pool.submit(() -> {
                    List<Throwable> own = new ArrayList<>();
                    try (Connection connection = schema.connect()) {
                        connection.setAutoCommit(autoCommit);
                        start.await();
                        for (int i = 0; i < APPENDS_PER_WRITER; i++) {
                            try {
                                append.run(connection);
                            } catch (OptimisticConcurrencyException e) {
                                own.add(e);
                                if (!autoCommit) {
                                    connection.rollback();
                                }
                            }
                        }
                    }
                    return own;
                }));
            }
            start.countDown();
            for (Future<List<Throwable>> writer : writers) {
                failures.addAll(writer.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        return failures;
    }

    private static void assertStreamIsExact(String id, Set<UUID> sent) throws SQLException {
        try (Connection connection = schema.connect()) {
            List<PersistedEvent> stream = STORE.on(connection).readAggregateStream("Order", id).events();
            assertThat(stream).hasSize(TOTAL);
            assertThat(stream).extracting(PersistedEvent::aggregateVersion)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, TOTAL).boxed().toList());
            assertThat(stream).extracting(e -> e.event().eventId()).containsExactlyInAnyOrderElementsOf(sent);

            assertThat(schema.queryLong("SELECT aggregate_version FROM aggregate_heads WHERE aggregate_id = '"
                    + id + "'")).isEqualTo(TOTAL);
            assertThat(schema.queryLong("SELECT count(*) FROM aggregate_heads h JOIN events e USING"
                    + " (aggregate_type, aggregate_id) WHERE h.aggregate_id = '" + id + "'"
                    + " AND e.aggregate_version = h.aggregate_version"
                    + " AND e.transaction_id = h.last_transaction_id")).isEqualTo(1);
            assertThat(versionsInTransactionOrder(connection, id))
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, TOTAL).boxed().toList());
        }
    }

    /** The order a gap-aware consumer reads the stream in. */
    private static List<Long> versionsInTransactionOrder(Connection connection, String id) throws SQLException {
        List<Long> versions = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT aggregate_version FROM events"
                + " WHERE aggregate_id = ? ORDER BY transaction_id, global_position")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    versions.add(rows.getLong(1));
                }
            }
        }
        return versions;
    }

    @FunctionalInterface
    private interface Append {
        void run(Connection connection) throws Exception;
    }
}

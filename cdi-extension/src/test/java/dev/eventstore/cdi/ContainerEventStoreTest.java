package dev.eventstore.cdi;

import dev.eventstore.EventStore;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.ProjectionFailedException;
import dev.eventstore.TransactionRequiredException;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.Notifications;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.eventstore.ExpectedVersion.exact;
import static dev.eventstore.ExpectedVersion.noStream;
import static dev.eventstore.cdi.StoreEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The injected store in Weld SE with Narayana and an enlisting Agroal pool on PostgreSQL: every transaction here is a
 * real JTA transaction.
 */
class ContainerEventStoreTest {

    private static final StatementLog STATEMENTS = new StatementLog();

    private static TestSchema schema;
    private static AgroalDataSource dataSource;
    private static WeldContainer container;
    private static String channel;

    private EventStore store;
    private Recorder recorder;
    private final UserTransaction transaction = JtaEnvironment.userTransaction();

    @BeforeAll
    static void boot() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE projection_rows (aggregate_id TEXT, aggregate_version BIGINT,"
                    + " event_type TEXT)");
        }
        dataSource = JtaEnvironment.dataSource(schema, 8);
        channel = "es_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        container = CdiTestContainer.start(STATEMENTS.wrap(dataSource),
                StoreConfig.defaults().withNotifyChannel(channel),
                Recorder.class, TestBeans.OrderRowsProjection.class, TestBeans.EverythingProjection.class,
                TestBeans.LaterProjection.class, TestBeans.Observers.class, TestBeans.TransactionalOrders.class);
    }

    @AfterAll
    static void shutDown() throws SQLException {
        container.close();
        dataSource.close();
        schema.close();
    }

    @BeforeEach
    void resolve() {
        store = container.select(EventStore.class).get();
        recorder = container.select(Recorder.class).get();
        recorder.clear();
    }

    @AfterEach
    void noTransactionLeftBehind() throws Exception {
        if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
            transaction.rollback();
        }
    }

    @Test
    void eventsAndInlineProjectionRowsCommitTogether() throws Exception {
        String id = UUID.randomUUID().toString();

        transaction.begin();
        store.append(noStream(), List.of(event("Order", id, "OrderPlaced"), event("Order", id, "OrderLineAdded")));
        assertThat(projectionRows(id)).as("not visible before commit").isZero();
        transaction.commit();

        assertThat(eventCount(id)).isEqualTo(2);
        assertThat(projectionRows(id)).isEqualTo(2);
        assertThat(recorder.seenBy("order-rows")).allSatisfy(
                seen -> assertThat(seen.transactionStatus()).isEqualTo(Status.STATUS_ACTIVE));
    }

    @Test
    void rollbackLeavesNoEventsNoRowsNoAfterSuccessNotificationsAndNoNotify() throws Exception {
        String id = UUID.randomUUID().toString();
        try (Connection listener = listen()) {
            transaction.begin();
            store.append(noStream(), event("Order", id, "OrderPlaced"));
            assertThat(recorder.seenBy("in-transaction")).hasSize(1);
            transaction.rollback();

            String marker = UUID.randomUUID().toString();
            transaction.begin();
            store.append(noStream(), event("Marker", marker, "Happened"));
            transaction.commit();

            assertThat(eventCount(id)).isZero();
            assertThat(projectionRows(id)).isZero();
            assertThat(recorder.seenBy("after-success")).extracting(s -> s.event().aggregateId())
                    .containsExactly(marker);
            assertThat(Notifications.payloads(listener, 5_000)).containsExactly("Marker");
        }
    }

    @Test
    void inAutoModeTheAppendingTransactionSendsTheNotifyExactlyWhenTheServerCannotPrepareTransactions()
            throws Exception {
        long maxPreparedTransactions = schema.queryLong(
                "SELECT current_setting('max_prepared_transactions')::bigint");
        try (Connection listener = listen()) {
            STATEMENTS.clear();
            transaction.begin();
            store.append(noStream(), event("Marker", UUID.randomUUID().toString(), "Happened"));
            assertThat(Notifications.receive(listener, 300)).as("nothing before commit").isEmpty();
            transaction.commit();

            assertThat(Notifications.payloads(listener, 5_000)).containsExactly("Marker");
            List<StatementLog.Statement> notifying = STATEMENTS.statements().stream()
                    .filter(statement -> statement.sql().contains("pg_notify")).toList();
            assertThat(notifying).singleElement().extracting(StatementLog.Statement::inTransaction)
                    .as(maxPreparedTransactions == 0 ? "sent by the appending transaction"
                            : "sent after commit, outside the transaction, so a two-phase commit can prepare")
                    .isEqualTo(maxPreparedTransactions == 0);
        }
    }

    @Test
    void aFailingInlineProjectionRollsTheAppendBack() throws Exception {
        String id = UUID.randomUUID().toString();
        transaction.begin();

        assertThatThrownBy(() -> store.append(noStream(),
                List.of(event("Order", id, "OrderPlaced"), event("Order", id, "Poison"))))
                .isInstanceOfSatisfying(ProjectionFailedException.class,
                        e -> assertThat(e.projection()).isEqualTo("order-rows"))
                .hasMessageContaining("Poison").hasMessageContaining("rollback-only");

        assertThat(transaction.getStatus()).isEqualTo(Status.STATUS_MARKED_ROLLBACK);
        assertThatThrownBy(transaction::commit).isInstanceOf(RollbackException.class);
        assertThat(eventCount(id)).isZero();
        assertThat(projectionRows(id)).isZero();
        assertThat(recorder.seenBy("after-success")).isEmpty();
    }

    @Test
    void withoutATransactionTheStoreRefusesToWorkAndWritesNothing() throws Exception {
        String id = UUID.randomUUID().toString();

        assertThatThrownBy(() -> store.append(noStream(), event("Order", id, "OrderPlaced")))
                .isInstanceOf(TransactionRequiredException.class)
                .hasMessageContaining("no transaction is active").hasMessageContaining("@Transactional");
        assertThatThrownBy(() -> store.readAggregateStream("Order", id))
                .isInstanceOf(TransactionRequiredException.class);
        assertThatThrownBy(() -> store.latestGlobalPosition()).isInstanceOf(TransactionRequiredException.class);

        assertThat(eventCount(id)).isZero();
        assertThat(recorder.seenBy("order-rows")).isEmpty();
    }

    @Test
    void readsThatCanMatchNothingAnswerEmptyInATransactionAndStillRequireOne() throws Exception {
        String id = UUID.randomUUID().toString();
        transaction.begin();
        store.append(noStream(), List.of(event("Order", id, "OrderPlaced"), event("Order", id, "OrderLineAdded")));

        assertThat(store.readEvents(0, 0)).isEmpty();
        assertThat(store.readAggregateStream("Order", id, dev.eventstore.VersionRange.between(2, 1)).isEmpty())
                .isTrue();
        transaction.commit();

        assertThatThrownBy(() -> store.readEvents(0, 0)).isInstanceOf(TransactionRequiredException.class);
        assertThatThrownBy(() -> store.readAggregateStream("Order", id, dev.eventstore.VersionRange.to(0)))
                .isInstanceOf(TransactionRequiredException.class);
    }

    @Test
    void theInjectedStoreLogsItsAppendsAndReadsLikeThePlainOne() throws Exception {
        String id = UUID.randomUUID().toString();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(
                dev.eventstore.postgres.PostgresEventStore.LOGGER_NAME);
        List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getMessage().contains(id)) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Level previous = log.getLevel();
        log.setLevel(java.util.logging.Level.ALL);
        log.addHandler(capture);
        try {
            transaction.begin();
            store.append(noStream(), event("Order", id, "OrderPlaced"));
            store.readAggregateStream("Order", id);
            transaction.commit();
        } finally {
            log.removeHandler(capture);
            log.setLevel(previous);
        }

        assertThat(records).extracting(java.util.logging.LogRecord::getLevel)
                .containsExactly(java.util.logging.Level.FINE, java.util.logging.Level.FINER);
        assertThat(records.get(0).getMessage()).startsWith("append Order/" + id + " expected noStream() version 1");
        assertThat(records.get(1).getMessage()).startsWith("read stream Order/" + id);
    }

    @Test
    void aTransactionMarkedForRollbackIsRefusedToo() throws Exception {
        transaction.begin();
        transaction.setRollbackOnly();

        assertThatThrownBy(() -> store.append(noStream(), event("Order", UUID.randomUUID().toString(), "X")))
                .isInstanceOf(TransactionRequiredException.class).hasMessageContaining("marked for rollback");
    }

    @Test
    void afterSuccessObserversSeeEveryCommittedEventOnceInOrder() throws Exception {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();

        transaction.begin();
        store.append(noStream(), List.of(event("Order", first, "A"), event("Order", first, "B")));
        store.append(noStream(), event("Invoice", second, "C"));
        assertThat(recorder.seenBy("after-success")).as("nothing before commit").isEmpty();
        transaction.commit();

        List<Recorder.Seen> delivered = recorder.seenBy("after-success");
        assertThat(delivered).extracting(s -> s.event().eventType()).containsExactly("A", "B", "C");
        assertThat(delivered).extracting(s -> s.event().globalPosition()).isSorted().doesNotHaveDuplicates();
        assertThat(recorder.seenBy("in-transaction")).allSatisfy(
                seen -> assertThat(seen.transactionStatus()).isEqualTo(Status.STATUS_ACTIVE));
    }

    @Test
    void projectionsAndQualifiedObserversReceiveOnlyTheirAggregateTypes() throws Exception {
        String order = UUID.randomUUID().toString();
        String invoice = UUID.randomUUID().toString();

        transaction.begin();
        store.append(noStream(), event("Order", order, "OrderPlaced"));
        store.append(noStream(), event("Invoice", invoice, "InvoiceRaised"));
        // The asynchronous projection may still be catching up on earlier tests' events; never on these, uncommitted.
        assertThat(recorder.seenBy("later")).as("asynchronous projections never run inline")
                .noneMatch(s -> s.event().aggregateId().equals(order) || s.event().aggregateId().equals(invoice));
        transaction.commit();

        assertThat(recorder.seenBy("order-rows")).extracting(s -> s.event().aggregateType()).containsExactly("Order");
        assertThat(recorder.seenBy("everything")).extracting(s -> s.event().aggregateType())
                .containsExactly("Order", "Invoice");
        assertThat(recorder.seenBy("invoices-only")).extracting(s -> s.event().aggregateId()).containsExactly(invoice);
    }

    @Test
    void asyncProjectionsReceiveCommittedEventsInTheirOwnJtaTransactionOnTheRuntimeThread() throws Exception {
        String kept = UUID.randomUUID().toString();
        String discarded = UUID.randomUUID().toString();
        transaction.begin();
        store.append(noStream(), event("Async", discarded, "RolledBack"));
        transaction.rollback();
        transaction.begin();
        store.append(noStream(), List.of(event("Async", kept, "First"), event("Async", kept, "Second")));
        transaction.commit();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (recorder.seenBy("later").stream().noneMatch(s -> s.event().eventType().equals("Second"))
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        List<Recorder.Seen> later = recorder.seenBy("later").stream()
                .filter(s -> s.event().aggregateType().equals("Async")).toList();
        assertThat(later).extracting(s -> s.event().eventType()).containsExactly("First", "Second");
        assertThat(later).allSatisfy(s -> assertThat(s.transactionStatus()).isEqualTo(Status.STATUS_ACTIVE));
        assertThat(recorder.threads()).allMatch(t -> t.startsWith("later@eventstore-projections-"));
        dev.eventstore.async.AsyncProjections projections =
                container.select(dev.eventstore.async.AsyncProjections.class).get();
        long waited = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!projections.status("later").caughtUp() && System.nanoTime() < waited) {
            Thread.sleep(20);
        }
        assertThat(projections.status("later").caughtUp()).isTrue();
        assertThat(projections.status("later").lastPosition()).isPositive();
    }

    @Test
    void twoConcurrentJtaTransactionsOnOneAggregateOneWinsTheOtherConflicts() throws Exception {
        String id = UUID.randomUUID().toString();
        transaction.begin();
        store.append(noStream(), event("Order", id, "OrderPlaced"));
        transaction.commit();

        transaction.begin();
        store.append(exact(1), event("Order", id, "Winner"));
        CompletableFuture<Void> loser = CompletableFuture.runAsync(() -> {
            UserTransaction other = JtaEnvironment.userTransaction();
            try {
                other.begin();
                try {
                    store.append(exact(1), event("Order", id, "Loser"));
                    other.commit();
                } finally {
                    if (other.getStatus() != Status.STATUS_NO_TRANSACTION) {
                        other.rollback();
                    }
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitSomeoneWaitingForALock();
        transaction.commit();

        assertThatThrownBy(() -> loser.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(OptimisticConcurrencyException.class,
                        e -> assertThat(e.actualVersion()).hasValue(2));
        assertThat(eventTypes(id)).containsExactly("OrderPlaced", "Winner");
    }

    @Test
    void transactionalCdiMethodsCommitOrRollBackTheirAppends() throws Exception {
        TestBeans.TransactionalOrders orders = container.select(TestBeans.TransactionalOrders.class).get();
        String kept = UUID.randomUUID().toString();
        String failed = UUID.randomUUID().toString();

        orders.place(kept);
        assertThatThrownBy(() -> orders.placeThenFail(failed)).hasMessageContaining("payment declined");

        assertThat(eventCount(kept)).isEqualTo(1);
        assertThat(projectionRows(kept)).isEqualTo(1);
        assertThat(eventCount(failed)).isZero();
        assertThat(projectionRows(failed)).isZero();
        assertThat(recorder.seenBy("after-success")).extracting(s -> s.event().aggregateId()).containsExactly(kept);
    }

    @Test
    void queriesAndCursorStreamsRunInsideTheJtaTransaction() throws Exception {
        String id = UUID.randomUUID().toString();
        List<dev.eventstore.Event> batch = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            batch.add(event("Ledger", id, "Posted"));
        }
        transaction.begin();
        store.append(noStream(), batch);
        transaction.commit();
        dev.eventstore.query.EventQuery ledger =
                dev.eventstore.query.EventQuery.builder().aggregateId(id).build();

        transaction.begin();
        long streamed;
        List<Long> versions;
        try (java.util.stream.Stream<dev.eventstore.PersistedEvent> events = store.stream(ledger)) {
            versions = events.map(dev.eventstore.PersistedEvent::aggregateVersion).toList();
            streamed = versions.size();
        }
        long counted = store.count(ledger);
        transaction.commit();

        assertThat(streamed).as("more than one cursor fetch through the enlisted connection").isEqualTo(1_200);
        assertThat(versions).isSorted();
        assertThat(counted).isEqualTo(1_200);
        assertThatThrownBy(() -> store.stream(ledger)).isInstanceOf(TransactionRequiredException.class);
        assertThatThrownBy(() -> store.query(ledger)).isInstanceOf(TransactionRequiredException.class);
    }

    private static void awaitSomeoneWaitingForALock() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (schema.queryLong("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND (query LIKE 'SELECT pg_advisory_xact_lock%' OR query LIKE '%WITH head AS%')") > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the second transaction never waited for the aggregate's lock");
    }

    /** Inside one JTA transaction the pool hands out the same enlisted connection the store uses. */
    private Connection listen() throws SQLException {
        return Notifications.listen(schema, channel);
    }

    private static long eventCount(String id) throws SQLException {
        return schema.queryLong("SELECT count(*) FROM events WHERE aggregate_id = '" + id + "'");
    }

    private static long projectionRows(String id) throws SQLException {
        return schema.queryLong("SELECT count(*) FROM projection_rows WHERE aggregate_id = '" + id + "'");
    }

    private static List<String> eventTypes(String id) throws SQLException {
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT event_type FROM events WHERE aggregate_id = '" + id
                     + "' ORDER BY aggregate_version")) {
            List<String> types = new ArrayList<>();
            while (rows.next()) {
                types.add(rows.getString(1));
            }
            return types;
        }
    }

}

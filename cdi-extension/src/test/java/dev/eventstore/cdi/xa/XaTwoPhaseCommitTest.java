package dev.eventstore.cdi.xa;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.Notifications;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static dev.eventstore.ExpectedVersion.noStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Real two-phase commits in Weld SE with Narayana: the injected store on a {@code PGXADataSource} pool and a Jakarta
 * JMS send to an ActiveMQ Artemis broker, both XA resources of one JTA transaction. Both are seen prepared before
 * either commits; they commit together or roll back together; and the store's NOTIFY, which PostgreSQL does not allow
 * in a transaction it prepares, is sent after commit in the default {@code auto} mode.
 */
class XaTwoPhaseCommitTest {

    private static final String QUEUE = "orders";

    private static TestSchema schema;
    private static EmbeddedBroker broker;
    private static AgroalDataSource dataSource;
    private static WeldContainer container;
    private static String channel;
    private static EventStore store;
    private static JMSContext jms;
    private final TransactionManager transactions = JtaEnvironment.transactionManager();

    @BeforeAll
    static void boot() throws Exception {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        PreparedTransactions.require(schema);
        broker = EmbeddedBroker.start(Path.of("target", "xa-broker", UUID.randomUUID().toString()), QUEUE);
        TransactionalJms.use(broker.xaConnectionFactory());
        dataSource = XaDataSources.pool(schema.url(), schema.database(), 4);
        channel = "es_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults().withNotifyChannel(channel),
                TransactionalJms.class);
        store = container.select(EventStore.class).get();
        jms = container.select(JMSContext.class).get();
    }

    @AfterAll
    static void shutDown() throws Exception {
        if (container != null) {
            container.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @AfterEach
    void noTransactionLeftOpen() throws Exception {
        if (transactions.getStatus() != Status.STATUS_NO_TRANSACTION) {
            transactions.rollback();
        }
    }

    @Test
    void appendAndSendArePreparedTogetherAndCommitTogether() throws Exception {
        String orderId = UUID.randomUUID().toString();
        PrepareProbe probe = new PrepareProbe(schema, broker);
        try (Connection listener = Notifications.listen(schema, channel)) {
            transactions.begin();
            store.append(noStream(), placed(orderId));
            jms.createProducer().setProperty("aggregateId", orderId).send(jms.createQueue(QUEUE), "placed");
            transactions.getTransaction().enlistResource(probe);   // last, so prepared after both
            assertThat(Notifications.receive(listener, 200)).as("nothing announced before commit").isEmpty();
            transactions.commit();

            // then phase one prepared a branch in PostgreSQL and one in the broker, and phase two committed both
            assertThat(probe.postgresPrepared()).as("PostgreSQL branches prepared before commit").hasSize(1);
            assertThat(probe.brokerPrepared()).as("broker branches prepared before commit").isEqualTo(1);
            assertThat(PreparedTransactions.gids(schema, probe.postgresPrepared().get(0))).isEmpty();
            assertThat(broker.allPrepared()).isEmpty();
            assertThat(eventsOf(orderId)).isEqualTo(1);
            List<Message> messages = broker.drain(QUEUE, 1);
            assertThat(messages).hasSize(1);
            assertThat(messages.get(0).getStringProperty("aggregateId")).isEqualTo(orderId);
            // and auto mode notified after commit, from outside the transaction (inside, the prepare would fail)
            assertThat(Notifications.payloads(listener, 5_000)).containsExactly("Order");
        }
    }

    @Test
    void anExceptionAfterAppendAndSendRollsBothBack() throws Exception {
        String orderId = UUID.randomUUID().toString();

        transactions.begin();
        store.append(noStream(), placed(orderId));
        jms.createProducer().setProperty("aggregateId", orderId).send(jms.createQueue(QUEUE), "placed");
        try {
            throw new IllegalStateException("the command fails after both writes");
        } catch (IllegalStateException expected) {
            transactions.rollback();
        }

        assertThat(eventsOf(orderId)).isZero();
        assertThat(broker.drain(QUEUE, 0)).isEmpty();
        assertThat(broker.allPrepared()).isEmpty();
    }

    @Test
    void aRejectedAppendAfterASendPublishesNothing() throws Exception {
        String orderId = UUID.randomUUID().toString();
        transactions.begin();
        store.append(noStream(), placed(orderId));
        transactions.commit();

        transactions.begin();
        jms.createProducer().setProperty("aggregateId", orderId).send(jms.createQueue(QUEUE), "placed again");
        assertThatThrownBy(() -> store.append(noStream(), placed(orderId)))
                .isInstanceOf(OptimisticConcurrencyException.class);
        transactions.rollback();

        assertThat(eventsOf(orderId)).isEqualTo(1);
        assertThat(broker.drain(QUEUE, 0)).isEmpty();
    }

    @Test
    void anInTransactionNotifyCannotBePreparedSoNeitherResourceCommits() throws Exception {
        System.setProperty("eventstore.notify-mode", "in-transaction");
        try (AgroalDataSource xa = XaDataSources.pool(schema.url(), schema.database(), 2);
             WeldContainer inTransaction = CdiTestContainer.start(xa,
                     StoreConfig.defaults().withNotifyChannel(channel), TransactionalJms.class)) {
            EventStore notifyingStore = inTransaction.select(EventStore.class).get();
            JMSContext context = inTransaction.select(JMSContext.class).get();
            String orderId = UUID.randomUUID().toString();

            transactions.begin();
            notifyingStore.append(noStream(), placed(orderId));    // runs pg_notify in the transaction
            context.createProducer().send(context.createQueue(QUEUE), "placed");

            // then the commit is refused as a whole, with PostgreSQL's reason among the causes
            Throwable failure = catchThrowable(transactions::commit);
            assertThat(failure).isInstanceOf(RollbackException.class);
            assertThat(causes(failure)).anySatisfy(cause -> assertThat(cause.getMessage())
                    .contains("cannot PREPARE a transaction that has executed LISTEN, UNLISTEN, or NOTIFY"));
            assertThat(eventsOf(orderId)).isZero();
            assertThat(broker.drain(QUEUE, 0)).isEmpty();
            assertThat(broker.allPrepared()).isEmpty();
        } finally {
            System.clearProperty("eventstore.notify-mode");
        }
    }

    /** The throwable, its causes and what was suppressed along the way (Narayana adds the resources' errors so). */
    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> all = new java.util.ArrayList<>();
        java.util.Deque<Throwable> pending = new java.util.ArrayDeque<>(List.of(failure));
        while (!pending.isEmpty()) {
            Throwable next = pending.pop();
            if (all.stream().noneMatch(seen -> seen == next)) {
                all.add(next);
                pending.addAll(List.of(next.getSuppressed()));
                if (next.getCause() != null) {
                    pending.add(next.getCause());
                }
            }
        }
        return all;
    }

    private static Event placed(String orderId) {
        return Event.builder("Order", orderId, "OrderPlaced").jsonPayload("{\"customer\":\"alice\"}").build();
    }

    private static long eventsOf(String orderId) throws SQLException {
        return schema.queryLong("SELECT count(*) FROM events WHERE aggregate_id = '" + orderId + "'");
    }
}

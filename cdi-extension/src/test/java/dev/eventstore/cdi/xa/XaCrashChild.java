package dev.eventstore.cdi.xa;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import io.agroal.api.AgroalDataSource;
import jakarta.jms.JMSContext;
import jakarta.transaction.TransactionManager;
import org.apache.activemq.artemis.jms.client.ActiveMQXAConnectionFactory;
import org.jboss.weld.environment.se.WeldContainer;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The processes of {@link XaCrashRecoveryTest}. {@code crash ORDER ...}: the application, which appends an event and
 * sends a message in one JTA transaction and dies at the point {@code ORDER} names. {@code recover ...}: the
 * restarted transaction manager, which completes what the first one left in doubt and exits 0.
 */
public final class XaCrashChild {

    /** Where the JVM dies, relative to the two-phase commit of PostgreSQL and the broker. */
    enum CrashPoint {
        /** Both prepared and the decision logged; nothing committed yet. Recovery commits both. */
        AFTER_PREPARE_BEFORE_ANY_COMMIT,
        /** PostgreSQL committed, the broker still prepared. Recovery commits the broker. */
        AFTER_DATABASE_COMMIT_BEFORE_BROKER_COMMIT,
        /** Both prepared, the JVM dies before the decision is logged. Recovery rolls both back. */
        BEFORE_THE_DECISION_IS_LOGGED
    }

    private XaCrashChild() {
    }

    public static void main(String[] arguments) throws Exception {
        switch (arguments[0]) {
            case "crash" -> crash(CrashPoint.valueOf(arguments[1]), arguments[2], arguments[3], arguments[4],
                    arguments[5], arguments[6], arguments[7], arguments[8]);
            case "recover" -> {
                long started = System.nanoTime();
                int scans = NarayanaRecovery.recover(Path.of(arguments[5]), arguments[6],
                        XaDataSources.recoveryDataSource(arguments[1], arguments[2], arguments[3]),
                        new ActiveMQXAConnectionFactory(arguments[4]), Duration.ofSeconds(30));
                System.out.println("RECOVERED in " + scans + " scans, "
                        + (System.nanoTime() - started) / 1_000_000 + " ms");
            }
            default -> throw new IllegalArgumentException("unknown mode " + arguments[0]);
        }
        System.exit(0);
    }

    private static void crash(CrashPoint point, String jdbcUrl, String user, String password, String brokerUrl,
                              String queue, String channel, String orderId) throws Exception {
        TransactionalJms.use(new ActiveMQXAConnectionFactory(brokerUrl));
        try (AgroalDataSource dataSource = XaDataSources.pool(jdbcUrl, user, password, 2);
             WeldContainer container = CdiTestContainer.start(dataSource,
                     StoreConfig.defaults().withNotifyChannel(channel), TransactionalJms.class)) {
            EventStore store = container.select(EventStore.class).get();
            JMSContext jms = container.select(JMSContext.class).get();
            TransactionManager transactions = JtaEnvironment.transactionManager();
            Event placed = Event.builder("Order", orderId, "OrderPlaced").jsonPayload("{\"customer\":\"bob\"}")
                    .build();

            // Narayana prepares, then commits, in the order of enlistment: where the crashing participant stands
            // decides what PostgreSQL (enlisted by the append) and the broker (by the send) have done when it halts.
            transactions.begin();
            if (point == CrashPoint.AFTER_PREPARE_BEFORE_ANY_COMMIT) {
                transactions.getTransaction().enlistResource(new CrashingXAResource(CrashingXAResource.Step.COMMIT));
            }
            store.append(ExpectedVersion.noStream(), placed);
            if (point == CrashPoint.AFTER_DATABASE_COMMIT_BEFORE_BROKER_COMMIT) {
                transactions.getTransaction().enlistResource(new CrashingXAResource(CrashingXAResource.Step.COMMIT));
            }
            jms.createProducer().setProperty("aggregateId", orderId).send(jms.createQueue(queue), "placed");
            if (point == CrashPoint.BEFORE_THE_DECISION_IS_LOGGED) {
                transactions.getTransaction().enlistResource(new CrashingXAResource(CrashingXAResource.Step.PREPARE));
            }
            transactions.commit();
            System.out.println("COMMITTED without crashing: the crash point was never reached");
        }
    }
}

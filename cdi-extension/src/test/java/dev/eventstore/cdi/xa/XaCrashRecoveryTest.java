package dev.eventstore.cdi.xa;

import dev.eventstore.cdi.xa.XaCrashChild.CrashPoint;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import jakarta.jms.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failure two-phase commit exists for, with real processes: a JVM appends an event through the injected store
 * (PostgreSQL over {@code PGXADataSource}) and sends a message to the broker in one JTA transaction, and halts in the
 * middle of the commit. A second JVM with the same Narayana log runs recovery. Afterwards the event is in the log
 * exactly once and the message on the queue exactly once (or both are absent when the outcome was rollback), and
 * neither PostgreSQL ({@code pg_prepared_xacts}) nor the broker holds a prepared branch any more.
 */
class XaCrashRecoveryTest {

    private static final Path WORK = Path.of("target", "xa-crash");

    private static TestSchema schema;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void setUp() throws Exception {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        PreparedTransactions.require(schema);
        broker = EmbeddedBroker.start(WORK.resolve("broker-" + UUID.randomUUID()));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void aCrashAfterBothPreparedIsCommittedByRecoveryExactlyOnce() throws Exception {
        Crash crash = crash(CrashPoint.AFTER_PREPARE_BEFORE_ANY_COMMIT);

        assertThat(crash.loggedTransactions()).as("decision logged").hasSize(1);
        assertThat(eventsOf(crash.orderId())).as("event not yet committed").isZero();
        assertThat(crash.postgresPrepared()).hasSize(1);
        assertThat(crash.brokerPrepared()).isEqualTo(1);
        assertThat(broker.messageCount(crash.queue())).isZero();

        recover(crash);

        assertCommittedExactlyOnce(crash);
    }

    @Test
    void aCrashAfterPostgresCommittedBeforeTheBrokerDidIsCompletedByRecovery() throws Exception {
        Crash crash = crash(CrashPoint.AFTER_DATABASE_COMMIT_BEFORE_BROKER_COMMIT);

        assertThat(crash.loggedTransactions()).as("decision logged").hasSize(1);
        assertThat(eventsOf(crash.orderId())).as("PostgreSQL committed").isEqualTo(1);
        assertThat(crash.postgresPrepared()).isEmpty();
        assertThat(crash.brokerPrepared()).as("broker still in doubt").isEqualTo(1);
        assertThat(broker.messageCount(crash.queue())).isZero();

        recover(crash);

        assertCommittedExactlyOnce(crash);
    }

    @Test
    void aCrashBeforeTheDecisionWasLoggedIsRolledBackByRecovery() throws Exception {
        Crash crash = crash(CrashPoint.BEFORE_THE_DECISION_IS_LOGGED);

        assertThat(crash.loggedTransactions()).as("no decision logged").isEmpty();
        assertThat(crash.postgresPrepared()).hasSize(1);
        assertThat(crash.brokerPrepared()).isEqualTo(1);

        recover(crash);

        assertThat(eventsOf(crash.orderId())).isZero();
        assertThat(broker.drain(crash.queue(), 0)).isEmpty();
        assertThat(PreparedTransactions.gids(schema, crash.gidPrefix())).isEmpty();
        assertThat(broker.prepared(crash.globalTransactionId())).isEmpty();
    }

    private void assertCommittedExactlyOnce(Crash crash) throws Exception {
        assertThat(NarayanaRecovery.loggedTransactions(crash.objectStore())).isEmpty();
        assertThat(PreparedTransactions.gids(schema, crash.gidPrefix())).as("pg_prepared_xacts").isEmpty();
        assertThat(broker.prepared(crash.globalTransactionId())).isEmpty();
        assertThat(eventsOf(crash.orderId())).isEqualTo(1);
        List<Message> messages = broker.drain(crash.queue(), 1);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).getStringProperty("aggregateId")).isEqualTo(crash.orderId());
    }

    /** What the crashed JVM left behind. */
    private record Crash(String node, Path directory, String queue, String orderId, String gidPrefix, byte[] globalTransactionId,
                         List<Path> loggedTransactions, List<String> postgresPrepared, int brokerPrepared) {
        Path objectStore() {
            return directory.resolve("object-store");
        }
    }

    private Crash crash(CrashPoint point) throws Exception {
        String node = "xa-" + UUID.randomUUID().toString().substring(0, 8);
        Path directory = WORK.resolve(node);
        Path objectStore = directory.resolve("object-store");
        String orderId = UUID.randomUUID().toString();
        String queue = "orders-" + node;
        broker.createQueue(queue);
        Map<String, String> properties = new HashMap<>(NarayanaRecovery.settings(objectStore, node));
        properties.put(CrashingXAResource.ARMED, "true");
        ChildJvm.Result crashed = ChildJvm.run(XaCrashChild.class, properties, directory.resolve("crash.log"),
                "crash", point.name(), schema.url(), schema.database().user(), schema.database().password(),
                broker.url(), queue, "es_" + node.replace("-", "_"), orderId);
        assertThat(crashed.exitCode()).as("the application JVM halted in its commit:\n" + crashed.output())
                .isEqualTo(CrashingXAResource.HALTED);
        System.out.println(point + ": application JVM ran " + crashed.millis() + " ms until the crash");

        String gidPrefix = crashed.line("CRASH at " + (point == CrashPoint.BEFORE_THE_DECISION_IS_LOGGED
                ? "PREPARE" : "COMMIT") + " of gid ");
        byte[] globalTransactionId = Base64.getDecoder().decode(gidPrefix.split("_")[1]);
        return new Crash(node, directory, queue, orderId, gidPrefix, globalTransactionId,
                NarayanaRecovery.loggedTransactions(objectStore), PreparedTransactions.gids(schema, gidPrefix),
                broker.prepared(globalTransactionId).size());
    }

    private void recover(Crash crash) throws Exception {
        ChildJvm.Result recovered = ChildJvm.run(XaCrashChild.class,
                NarayanaRecovery.settings(crash.objectStore(), crash.node()), crash.directory().resolve("recover.log"),
                "recover", schema.url(), schema.database().user(), schema.database().password(), broker.url(),
                crash.objectStore().toAbsolutePath().toString(), crash.node());
        assertThat(recovered.exitCode()).as("recovery finished:\n" + recovered.output()).isZero();
        System.out.println(crash.node() + ": recovery JVM ran " + recovered.millis() + " ms, "
                + recovered.line("RECOVERED in "));
    }

    private static long eventsOf(String orderId) throws SQLException {
        return schema.queryLong("SELECT count(*) FROM events WHERE aggregate_id = '" + orderId + "'");
    }
}

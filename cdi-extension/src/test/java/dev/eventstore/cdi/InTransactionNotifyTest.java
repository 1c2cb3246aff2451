package dev.eventstore.cdi;

import dev.eventstore.EventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.Notifications;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import jakarta.transaction.UserTransaction;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static dev.eventstore.ExpectedVersion.noStream;
import static dev.eventstore.cdi.StoreEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eventstore.notify-mode=in-transaction}, right for a local (non-XA) JTA datasource: the append's own
 * statement notifies, so the appending backend sends it, PostgreSQL delivers it at commit and drops it on rollback.
 * Chosen explicitly, since {@code auto} picks it only on a server without prepared transactions.
 */
class InTransactionNotifyTest {

    private static TestSchema schema;
    private static AgroalDataSource dataSource;
    private static WeldContainer container;
    private static String channel;
    private static EventStore store;
    private final UserTransaction transaction = JtaEnvironment.userTransaction();

    @BeforeAll
    static void boot() throws Exception {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        dataSource = JtaEnvironment.dataSource(schema, 2);
        channel = "es_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        System.setProperty("eventstore.notify-mode", "in-transaction");
        try {
            container = CdiTestContainer.start(dataSource, StoreConfig.defaults().withNotifyChannel(channel),
                    Recorder.class);
            store = container.select(EventStore.class).get();
            UserTransaction transaction = JtaEnvironment.userTransaction();
            transaction.begin();
            store.latestGlobalPosition(); // creates the store while the setting is there
            transaction.commit();
        } finally {
            System.clearProperty("eventstore.notify-mode");
        }
    }

    @AfterAll
    static void shutDown() throws SQLException {
        container.close();
        dataSource.close();
        schema.close();
    }

    @Test
    void theAppendingBackendNotifiesAtCommitAndNotAfterARollback() throws Exception {
        try (Connection listener = Notifications.listen(schema, channel)) {
            transaction.begin();
            store.append(noStream(), event("Discarded", UUID.randomUUID().toString(), "Happened"));
            transaction.rollback();

            transaction.begin();
            int appendingBackend = backendPid();
            store.append(noStream(), event("Kept", UUID.randomUUID().toString(), "Happened"));
            assertThat(Notifications.receive(listener, 200)).as("nothing before commit").isEmpty();
            transaction.commit();

            List<PGNotification> received = Notifications.receive(listener, 5_000);
            assertThat(received).extracting(PGNotification::getParameter).containsExactly("Kept");
            assertThat(received.get(0).getPID()).as("sent by the appending transaction").isEqualTo(appendingBackend);
        }
    }

    private static int backendPid() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             java.sql.ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }
}

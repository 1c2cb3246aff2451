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
import java.util.UUID;

import static dev.eventstore.ExpectedVersion.noStream;
import static dev.eventstore.cdi.StoreEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code eventstore.notify-mode=after-commit}, what XA datasources need: the append's transaction executes no NOTIFY
 * (PostgreSQL could not prepare it), and the notification comes after commit from outside it, never after a
 * rollback. Weld SE with Narayana on PostgreSQL.
 */
class AfterCommitNotifyTest {

    private static TestSchema schema;
    private static AgroalDataSource dataSource;
    private static WeldContainer container;
    private static String channel;
    private static EventStore store;
    private static final StatementLog STATEMENTS = new StatementLog();
    private final UserTransaction transaction = JtaEnvironment.userTransaction();

    @BeforeAll
    static void boot() throws Exception {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        dataSource = JtaEnvironment.dataSource(schema, 4);
        channel = "es_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        System.setProperty("eventstore.notify-mode", "after-commit");
        try {
            container = CdiTestContainer.start(STATEMENTS.wrap(dataSource),
                    StoreConfig.defaults().withNotifyChannel(channel),
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
    void theTransactionExecutesNoNotifyAndTheNotificationComesAfterCommit() throws Exception {
        try (Connection listener = listen()) {
            STATEMENTS.clear();
            transaction.begin();
            store.append(noStream(), event("Order", UUID.randomUUID().toString(), "OrderPlaced"));
            store.append(noStream(), event("Invoice", UUID.randomUUID().toString(), "InvoiceSent"));
            store.append(noStream(), event("Order", UUID.randomUUID().toString(), "OrderPlaced"));
            assertThat(Notifications.receive(listener, 300)).as("nothing before commit").isEmpty();
            transaction.commit();

            assertThat(Notifications.receive(listener, 5_000)).extracting(PGNotification::getParameter)
                    .containsExactly("Order", "Invoice");
            assertThat(STATEMENTS.statements()).filteredOn(StatementLog.Statement::inTransaction)
                    .hasSize(3)
                    .allSatisfy(statement -> assertThat(statement.sql()).contains("INSERT INTO")
                            .doesNotContain("pg_notify"));
            assertThat(STATEMENTS.statements()).filteredOn(statement -> !statement.inTransaction())
                    .extracting(StatementLog.Statement::sql).singleElement().asString()
                    .startsWith("SELECT pg_notify(?, ");
        }
    }

    @Test
    void aRolledBackTransactionAnnouncesNothing() throws Exception {
        try (Connection listener = listen()) {
            transaction.begin();
            store.append(noStream(), event("Discarded", UUID.randomUUID().toString(), "Happened"));
            transaction.rollback();
            transaction.begin();
            store.append(noStream(), event("Kept", UUID.randomUUID().toString(), "Happened"));
            transaction.commit();

            assertThat(Notifications.receive(listener, 5_000)).extracting(PGNotification::getParameter)
                    .containsExactly("Kept");
        }
    }

    @Test
    void anAggregateTypeTooLongForANotifyPayloadIsAnnouncedWithAnEmptyPayloadAfterCommit() throws Exception {
        String tooLong = "T" + "x".repeat(7_999);
        try (Connection listener = listen()) {
            transaction.begin();
            store.append(noStream(), event(tooLong, UUID.randomUUID().toString(), "Happened"));
            store.append(noStream(), event("Order", UUID.randomUUID().toString(), "OrderPlaced"));
            transaction.commit();

            assertThat(Notifications.receive(listener, 5_000)).extracting(PGNotification::getParameter)
                    .containsExactly("", "Order");
        }
    }

    private static Connection listen() throws SQLException {
        return Notifications.listen(schema, channel);
    }
}

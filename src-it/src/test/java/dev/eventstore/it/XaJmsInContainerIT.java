package dev.eventstore.it;

import dev.eventstore.it.app.ItSchema;
import dev.eventstore.it.app.PrepareGate;
import dev.eventstore.it.app.XaOrders;
import dev.eventstore.it.app.XaOrdersServlet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.eventstore.it.OpsClient.HTTP;
import static dev.eventstore.it.OpsClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two-phase commit in the server: the store on the server's XA datasource and a JMS send to the server's broker
 * (WildFly's embedded Artemis, Payara's OpenMQ) in one container-managed transaction. A command's transaction is
 * held between its two phases to show both branches prepared and nothing visible yet; it commits both or neither;
 * and the store, in the default {@code auto} notify mode, notifies the test JVM's LISTEN only after the commit.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class XaJmsInContainerIT {

    /** A channel of this deployment's own, so no other test's appends are heard. */
    private static final String CHANNEL = "eventstore_it_xa";

    @ArquillianResource
    URL base;

    private Connection listener;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String xaDataSource = "payara".equals(System.getProperty("arquillian.launch"))
                ? "jdbc/eventstore-xa" : "java:jboss/datasources/EventStoreXADS";
        // Above the servers' system properties (ordinal 400), which set the other tests' channel and notify mode:
        // this deployment runs with the defaults a user gets, auto included.
        return ItArchives.war("eventstore-xa-it.war")
                .addClasses(XaOrders.class, XaOrdersServlet.class, PrepareGate.class, ItSchema.class)
                .addAsResource(new StringAsset("config_ordinal=500\n"
                        + "eventstore.datasource=" + xaDataSource + "\n"
                        + "eventstore.notify-channel=" + CHANNEL + "\n"
                        + "eventstore.notify-mode=auto\n"), "META-INF/microprofile-config.properties");
    }

    @BeforeEach
    void listen() throws SQLException {
        listener = OpsClient.connect();
        try (Statement statement = listener.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
    }

    @AfterEach
    void closeListener() throws SQLException {
        listener.close();
    }

    @Test
    void aCommandPreparesBothResourcesThenCommitsBothAndNotifiesOnlyAfterTheCommit() throws Exception {
        String orderId = UUID.randomUUID().toString();

        // when the command's transaction is held after both resources prepared
        CompletableFuture<HttpResponse<String>> command = postAsync("place-held", orderId);
        String gidPrefix = awaitHeldTransaction(command);

        // then PostgreSQL holds its branch prepared, and neither the event, the message nor a notification is out
        assertEquals(1, preparedBranches(gidPrefix), "the store's branch is prepared in pg_prepared_xacts");
        assertEquals(1, ServerBroker.preparedTransactions(), "the broker's branch is prepared");
        assertEquals(0, events(orderId), "the event of a prepared transaction is invisible");
        assertEquals(0, messages(orderId), "the message of a prepared transaction is invisible");
        assertEquals(List.of(), notifications(200), "no notification before the commit");

        // when the test lets it commit
        assertEquals(204, post("held?vote=commit").statusCode());

        // then both resources committed, and the store notified after the commit (in auto mode, on a server that
        // prepares; a NOTIFY inside the transaction would have made PostgreSQL refuse to prepare)
        HttpResponse<String> committed = command.get();
        assertEquals(204, committed.statusCode(), committed.body());
        assertEquals(0, preparedBranches(gidPrefix), "nothing left prepared");
        assertEquals(0, ServerBroker.preparedTransactions(), "nothing left prepared in the broker");
        assertEquals(1, events(orderId));
        assertEquals(1, messages(orderId));
        assertEquals(List.of(XaOrders.AGGREGATE_TYPE), notifications(10_000));
    }

    @Test
    void aRollbackVotedAfterBothPreparedRollsBothBack() throws Exception {
        String orderId = UUID.randomUUID().toString();
        CompletableFuture<HttpResponse<String>> command = postAsync("place-held", orderId);
        String gidPrefix = awaitHeldTransaction(command);
        assertEquals(1, preparedBranches(gidPrefix), "the store's branch is prepared in pg_prepared_xacts");
        assertEquals(1, ServerBroker.preparedTransactions(), "the broker's branch is prepared");

        // when the last participant votes to roll back in phase one
        assertEquals(204, post("held?vote=rollback").statusCode());

        // then the coordinator rolls back the prepared branches of the store and the broker
        HttpResponse<String> rolledBack = command.get();
        assertEquals(500, rolledBack.statusCode(), rolledBack.body());
        assertEquals(0, preparedBranches(gidPrefix), "the prepared branch is rolled back, not left in doubt");
        assertEquals(0, ServerBroker.preparedTransactions(), "the broker's branch is rolled back");
        assertEquals(0, events(orderId));
        assertEquals(0, messages(orderId));
        assertOnlyTheNextCommitNotifies();
    }

    @Test
    void aCommandThatFailsAfterItsAppendAndSendLeavesNeither() throws Exception {
        String orderId = UUID.randomUUID().toString();

        HttpResponse<String> failed = post("place-then-fail?id=" + orderId);

        assertEquals(500, failed.statusCode(), failed.body());
        assertTrue(failed.body().contains("fails after its append and its send"), failed.body());
        assertEquals(0, events(orderId));
        assertEquals(0, messages(orderId));
        assertOnlyTheNextCommitNotifies();
    }

    @Test
    void aCommandRejectedForAStaleVersionPublishesNothing() throws Exception {
        String orderId = UUID.randomUUID().toString();
        assertEquals(204, post("place?id=" + orderId).statusCode());
        assertEquals(List.of(XaOrders.AGGREGATE_TYPE), notifications(10_000));

        // when the same order is placed again: the message is sent, then the append is rejected
        HttpResponse<String> rejected = post("place-again?id=" + orderId);

        assertEquals(409, rejected.statusCode(), rejected.body());
        assertEquals(1, events(orderId), "only the first command's event");
        assertEquals(1, messages(orderId), "only the first command's message");
        assertOnlyTheNextCommitNotifies();
    }

    /**
     * A command that commits after one that did not: the listener hears exactly one notification, so the one that
     * did not commit sent none (an after-commit notification is sent right after its commit, before the next begins).
     */
    private void assertOnlyTheNextCommitNotifies() throws Exception {
        assertEquals(204, post("place?id=" + UUID.randomUUID()).statusCode());
        List<String> heard = notifications(10_000);
        heard.addAll(notifications(500));
        assertEquals(List.of(XaOrders.AGGREGATE_TYPE), heard, "one notification, for the command that committed");
    }

    /** Waits until the command's transaction is held in prepare; fails at once if the command ended instead. */
    private String awaitHeldTransaction(CompletableFuture<HttpResponse<String>> command) throws Exception {
        String[] prefix = new String[1];
        await(() -> {
            if (command.isDone()) {
                throw new AssertionError("the command ended before its commit was held: " + command.join().body());
            }
            HttpResponse<String> held = get("held");
            prefix[0] = held.statusCode() == 200 ? held.body() : null;
            return prefix[0] != null;
        }, "the command's transaction waits in prepare");
        return prefix[0];
    }

    private long preparedBranches(String gidPrefix) throws SQLException {
        return count("SELECT count(*) FROM pg_prepared_xacts WHERE starts_with(gid, ?)", gidPrefix);
    }

    private long events(String orderId) throws SQLException {
        return count("SELECT count(*) FROM events WHERE aggregate_type = '" + XaOrders.AGGREGATE_TYPE
                + "' AND aggregate_id = ?", orderId);
    }

    private static long count(String sql, String parameter) throws SQLException {
        try (Connection connection = OpsClient.connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private long messages(String orderId) {
        HttpResponse<String> answer = get("messages?id=" + orderId);
        assertEquals(200, answer.statusCode(), answer.body());
        return Long.parseLong(answer.body().strip());
    }

    /** The payloads heard within {@code millis}: waits for the first, then takes what has arrived with it. */
    private List<String> notifications(int millis) throws SQLException {
        List<String> payloads = new ArrayList<>();
        PGNotification[] batch = listener.unwrap(PGConnection.class).getNotifications(millis);
        if (batch != null) {
            for (PGNotification notification : batch) {
                payloads.add(notification.getParameter());
            }
        }
        return payloads;
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String command, String orderId) {
        return HTTP.sendAsync(request(command + "?id=" + orderId).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return HTTP.send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + "xa/" + path)).timeout(Duration.ofSeconds(90));
    }
}

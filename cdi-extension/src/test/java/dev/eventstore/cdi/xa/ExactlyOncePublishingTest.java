package dev.eventstore.cdi.xa;

import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once publishing from an {@code ASYNC} projection ({@code OrderEventPublisher} of docs/xa-and-jms.md): each
 * batch sends its events to a queue and moves the checkpoint in one JTA transaction over PostgreSQL and the broker.
 * The application JVM is killed twice, once in the middle of a batch (nothing prepared) and once after PostgreSQL
 * committed a batch's checkpoint but before the broker committed its messages, and restarted each time (recovery
 * first, as a server does). A consumer then sees every event exactly once, in per-aggregate order.
 */
class ExactlyOncePublishingTest {

    private static final String QUEUE = "order-events";
    private static final int AGGREGATES = 4;

    private static TestSchema schema;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void setUp() throws Exception {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        PreparedTransactions.require(schema);
        broker = EmbeddedBroker.start(Path.of("target", "xa-publishing", "broker-" + UUID.randomUUID()), QUEUE);
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
    void everyEventIsPublishedExactlyOnceInAggregateOrderAcrossCrashesAndRestarts() throws Exception {
        String node = "pub-" + UUID.randomUUID().toString().substring(0, 8);
        Path directory = Path.of("target", "xa-publishing", node);
        Path objectStore = directory.resolve("object-store");
        String channel = "es_" + node.replace("-", "_");
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < AGGREGATES; i++) {
            orders.add(UUID.randomUUID().toString());
        }
        appendVersions(orders, 6);

        // killed at the 10th of 24 sends of its batch: nothing was prepared, everything rolls back
        ChildJvm.Result midBatch = start(directory.resolve("1-mid-batch.log"), objectStore, node, channel,
                Map.of(TransactionalJms.CRASH_AT_SEND, "10"));
        assertThat(midBatch.exitCode()).as(midBatch.output()).isEqualTo(CrashingXAResource.HALTED);
        assertThat(broker.messageCount(QUEUE)).isZero();
        assertThat(checkpoint()).isZero();

        // restarted, and killed after PostgreSQL committed the batch (checkpoint moved), before the broker did
        ChildJvm.Result beforeBrokerCommit = start(directory.resolve("2-before-broker-commit.log"), objectStore,
                node, channel, Map.of(TransactionalJms.CRASH_BEFORE_BROKER_COMMIT, "true"));
        assertThat(beforeBrokerCommit.exitCode()).as(beforeBrokerCommit.output())
                .isEqualTo(CrashingXAResource.HALTED);
        assertThat(checkpoint()).as("checkpoint committed").isEqualTo(lastPosition());
        assertThat(broker.messageCount(QUEUE)).as("messages still in doubt").isZero();
        assertThat(broker.allPrepared()).hasSize(1);

        // more events while it is down; restarted: recovery commits the messages, the runtime goes on
        appendVersions(orders, 2);
        ChildJvm.Result restarted = start(directory.resolve("3-restarted.log"), objectStore, node, channel,
                Map.of());
        assertThat(restarted.exitCode()).as(restarted.output()).isZero();
        System.out.println("restarts: " + midBatch.millis() + " ms until the first crash, "
                + beforeBrokerCommit.millis() + " ms until the second, " + restarted.millis() + " ms for the last run ("
                + restarted.line("RECOVERED in ") + ")");

        List<Message> messages = broker.drain(QUEUE, AGGREGATES * 8);
        assertThat(messages.stream().map(ExactlyOncePublishingTest::eventId).toList())
                .as("every event once").doesNotHaveDuplicates().hasSameElementsAs(eventIds());
        Map<String, List<Long>> versionsByAggregate = new LinkedHashMap<>();
        for (Message message : messages) {
            versionsByAggregate.computeIfAbsent(message.getStringProperty("aggregateId"), id -> new ArrayList<>())
                    .add(message.getLongProperty("aggregateVersion"));
        }
        assertThat(versionsByAggregate).hasSize(AGGREGATES);
        versionsByAggregate.values().forEach(versions ->
                assertThat(versions).as("in aggregate order").containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L));
        assertThat(broker.allPrepared()).isEmpty();
        assertThat(NarayanaRecovery.loggedTransactions(objectStore)).isEmpty();
    }

    private static ChildJvm.Result start(Path log, Path objectStore, String node, String channel,
                                         Map<String, String> crash) throws Exception {
        Map<String, String> properties = new HashMap<>(NarayanaRecovery.settings(objectStore, node));
        properties.put("eventstore.node", node);        // a restarted node takes its lease back at once
        properties.putAll(crash);
        if (!crash.isEmpty()) {
            properties.put(CrashingXAResource.ARMED, "true");
        }
        return ChildJvm.run(PublishingChild.class, properties, log, schema.url(), schema.database().user(),
                schema.database().password(), broker.url(), channel, Long.toString(lastPosition()),
                objectStore.toAbsolutePath().toString(), node);
    }

    /** Appends {@code count} more events to each order, round robin, one transaction per event. */
    private static void appendVersions(List<String> orders, int count) throws SQLException {
        PostgresEventStore store = PostgresEventStore.create(StoreConfig.defaults());
        try (Connection connection = schema.connect()) {
            for (int i = 0; i < count; i++) {
                for (String order : orders) {
                    store.on(connection).append(ExpectedVersion.any(), Event.builder("Order", order, "OrderChanged")
                            .jsonPayload("{\"step\":" + i + "}").build());
                }
            }
        }
    }

    private static long lastPosition() throws SQLException {
        return schema.queryLong("SELECT max(global_position) FROM events");
    }

    private static long checkpoint() throws SQLException {
        return schema.queryLong("SELECT coalesce(max(last_position), 0) FROM projection_checkpoints"
                + " WHERE projection_name = '" + PublishingChild.PROJECTION + "'");
    }

    private static List<String> eventIds() throws SQLException {
        try (Connection connection = schema.connect();
             PreparedStatement query = connection.prepareStatement("SELECT event_id::text FROM events");
             ResultSet rows = query.executeQuery()) {
            List<String> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
    }

    private static String eventId(Message message) {
        try {
            return message.getStringProperty("eventId");
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}

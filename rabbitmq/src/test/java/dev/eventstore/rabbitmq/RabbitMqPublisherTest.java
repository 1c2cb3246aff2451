package dev.eventstore.rabbitmq;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import dev.eventstore.AppendResult;
import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.async.BatchTransactions;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.ProjectionStatus;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.eventstore.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The publisher against the real RabbitMQ on 127.0.0.1:5672 (guest/guest) and the real PostgreSQL. Each test uses an
 * exchange and queues of its own (deleted afterwards) and aggregates of its own.
 */
class RabbitMqPublisherTest {

    private static final String BROKER_HOST = "127.0.0.1";
    private static final int BROKER_PORT = 5672;

    private static TestSchema schema;
    private static PGSimpleDataSource dataSource;
    private static final StoreConfig CONFIG = StoreConfig.defaults();
    private static final PostgresEventStore STORE = PostgresEventStore.create(CONFIG);

    private com.rabbitmq.client.Connection consumerConnection;
    private Channel consumer;
    private String exchange;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(CONFIG);
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(schema.url());
        dataSource.setUser(schema.database().user());
        dataSource.setPassword(schema.database().password());
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    @BeforeEach
    void connectConsumer() throws Exception {
        consumerConnection = broker(BROKER_PORT).newConnection("publisher-test consumer");
        consumer = consumerConnection.createChannel();
        exchange = "es-test-" + UUID.randomUUID();
        consumer.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, false);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        consumer.exchangeDelete(exchange);
        consumerConnection.close();
    }

    private static ConnectionFactory broker(int port) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(BROKER_HOST);
        factory.setPort(port);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setConnectionTimeout(5_000);
        return factory;
    }

    /** Messages of one queue, in arrival order. */
    private final class Queue {
        final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());

        Queue(String... bindingKeys) throws Exception {
            String name = consumer.queueDeclare("", false, true, true, null).getQueue();
            for (String key : bindingKeys) {
                consumer.queueBind(name, exchange, key);
            }
            consumer.basicConsume(name, true, (tag, delivery) -> deliveries.add(delivery), tag -> { });
        }

        List<Delivery> snapshot() {
            synchronized (deliveries) {
                return List.copyOf(deliveries);
            }
        }

        List<String> messageIds() {
            return snapshot().stream().map(d -> d.getProperties().getMessageId()).toList();
        }

        Set<String> distinctIds() {
            return new HashSet<>(messageIds());
        }

        List<String> routingKeys() {
            return snapshot().stream().map(d -> d.getEnvelope().getRoutingKey()).toList();
        }
    }

    private RabbitMqPublisher.Builder publisher(ConnectionFactory factory) {
        return RabbitMqPublisher.builder(CONFIG).connectionFactory(factory).exchange(exchange).durable(false)
                .name("bus-" + UUID.randomUUID());
    }

    private AsyncProjections running(RabbitMqPublisher publisher, AsyncProjections.Builder projections) {
        AsyncProjections built = projections.pollInterval(Duration.ofMillis(50))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(400)).build();
        toClose.add(publisher);
        toClose.add(built);
        built.start();
        return built;
    }

    private static AppendResult append(String aggregateType, String aggregateId, String eventType, String topic) {
        try (Connection connection = schema.connect()) {
            return STORE.on(connection).append(ExpectedVersion.any(), Event.builder(aggregateType, aggregateId,
                    eventType).topic(topic).jsonPayload("{\"at\":\"" + UUID.randomUUID() + "\"}").build());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> appendMany(String aggregateType, int aggregates, int eventsEach) {
        List<String> ids = new ArrayList<>();
        for (int version = 1; version <= eventsEach; version++) {
            for (int a = 0; a < aggregates; a++) {
                ids.add(append(aggregateType, "agg-" + a, "thing.happened", "thing.happened.v" + version)
                        .events().get(0).eventId().toString());
            }
        }
        return ids;
    }

    /** First occurrence of each message id, in arrival order: what a deduplicating consumer keeps. */
    private static List<Delivery> deduplicated(List<Delivery> deliveries) {
        Map<String, Delivery> first = new LinkedHashMap<>();
        deliveries.forEach(d -> first.putIfAbsent(d.getProperties().getMessageId(), d));
        return List.copyOf(first.values());
    }

    private static void assertPerAggregateOrder(List<Delivery> deliveries) {
        Map<String, Long> last = new LinkedHashMap<>();
        for (Delivery delivery : deliveries) {
            Map<String, Object> headers = delivery.getProperties().getHeaders();
            String aggregate = headers.get(RabbitMqPublisher.HEADER_AGGREGATE_TYPE) + "/"
                    + headers.get(RabbitMqPublisher.HEADER_AGGREGATE_ID);
            long version = (Long) headers.get(RabbitMqPublisher.HEADER_AGGREGATE_VERSION);
            assertThat(version).as("version of %s after %s", aggregate, last.get(aggregate))
                    .isEqualTo(last.getOrDefault(aggregate, 0L) + 1);
            last.put(aggregate, version);
        }
    }

    @Test
    void consumersBoundWithPatternsReceiveExactlyTheMatchingEventsOnceInPerAggregateOrder() throws Exception {
        Queue lifecycle = new Queue("app.lifecycle.#");
        Queue hooks = new Queue("hook.triggered.*");
        Queue exact = new Queue("order.lifecycle.placed");
        Queue everything = new Queue("#");
        String type = "App" + UUID.randomUUID().toString().substring(0, 8);
        List<String> topics = List.of("app.lifecycle.registered", "app.lifecycle.installed", "hook.triggered.created",
                "hook.triggered.a.b", "order.lifecycle.placed", "app.lifecycle", "order.lifecycle.placed");
        List<PersistedEvent> appended = new ArrayList<>();
        for (int i = 0; i < topics.size(); i++) {
            appended.add(append(type, "a" + (i % 3), "app.changed", topics.get(i)).events().get(0));
        }
        PersistedEvent withoutTopic = append(type, "a0", "app.untopical", null).events().get(0);
        RabbitMqPublisher publisher = publisher(broker(BROKER_PORT)).aggregateTypes(Set.of(type)).build();

        running(publisher, publisher.projections(dataSource));
        await(() -> everything.snapshot().size() >= topics.size() + 1, "every event reached the '#' queue");

        assertThat(everything.routingKeys()).containsExactlyElementsOf(
                java.util.stream.Stream.concat(topics.stream(), java.util.stream.Stream.of("app.untopical")).toList());
        assertThat(lifecycle.routingKeys()).containsExactly("app.lifecycle.registered", "app.lifecycle.installed",
                "app.lifecycle");
        assertThat(hooks.routingKeys()).containsExactly("hook.triggered.created");
        assertThat(exact.routingKeys()).containsExactly("order.lifecycle.placed", "order.lifecycle.placed");
        assertThat(everything.messageIds()).doesNotHaveDuplicates();
        assertPerAggregateOrder(everything.snapshot());

        PersistedEvent first = appended.get(0);
        Delivery delivery = everything.snapshot().get(0);
        assertThat(delivery.getProperties().getMessageId()).isEqualTo(first.eventId().toString());
        assertThat(delivery.getProperties().getContentType()).isEqualTo("application/json");
        assertThat(delivery.getProperties().getDeliveryMode()).isEqualTo(2);
        assertThat(delivery.getProperties().getType()).isEqualTo("app.changed");
        assertThat(new String(delivery.getBody(), StandardCharsets.UTF_8)).isEqualTo(first.payloadAsString());
        Map<String, Object> headers = delivery.getProperties().getHeaders();
        assertThat(headers.get(RabbitMqPublisher.HEADER_AGGREGATE_TYPE)).hasToString(type);
        assertThat(headers.get(RabbitMqPublisher.HEADER_AGGREGATE_ID)).hasToString("a0");
        assertThat(headers.get(RabbitMqPublisher.HEADER_AGGREGATE_VERSION)).isEqualTo(first.aggregateVersion());
        assertThat(headers.get(RabbitMqPublisher.HEADER_EVENT_TYPE)).hasToString("app.changed");
        assertThat(headers.get(RabbitMqPublisher.HEADER_EVENT_VERSION)).isEqualTo(1);
        assertThat(headers.get(RabbitMqPublisher.HEADER_GLOBAL_POSITION)).isEqualTo(first.globalPosition());
        assertThat(headers.get(RabbitMqPublisher.HEADER_TOPIC)).hasToString("app.lifecycle.registered");
        assertThat(headers.get(RabbitMqPublisher.HEADER_TRANSACTION_ID)).isEqualTo(schema.queryLong(
                "SELECT transaction_id::text::bigint FROM events WHERE global_position = " + first.globalPosition()));
        Map<String, Object> untopical = everything.snapshot().get(topics.size()).getProperties().getHeaders();
        assertThat(untopical).doesNotContainKey(RabbitMqPublisher.HEADER_TOPIC);
        assertThat(untopical.get(RabbitMqPublisher.HEADER_GLOBAL_POSITION)).isEqualTo(withoutTopic.globalPosition());
    }

    @Test
    void tracingIdsAndMetadataTravelAsHeaders() throws Exception {
        Queue all = new Queue("#");
        String type = "Traced" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = schema.connect()) {
            STORE.on(connection).append(ExpectedVersion.noStream(), Event.builder(type, "t1", "traced")
                    .topic("traced.event").traceId("trace-1").correlationId("corr-1").causationId("cause-1")
                    .metadata("{\"tenant\":\"acme\"}").build());
        }
        RabbitMqPublisher publisher = publisher(broker(BROKER_PORT)).aggregateTypes(Set.of(type)).build();

        running(publisher, publisher.projections(dataSource));
        await(() -> all.snapshot().size() == 1, "the traced event arrived");

        Map<String, Object> headers = all.snapshot().get(0).getProperties().getHeaders();
        assertThat(headers.get(RabbitMqPublisher.HEADER_TRACE_ID)).hasToString("trace-1");
        assertThat(headers.get(RabbitMqPublisher.HEADER_CORRELATION_ID)).hasToString("corr-1");
        assertThat(headers.get(RabbitMqPublisher.HEADER_CAUSATION_ID)).hasToString("cause-1");
        assertThat(headers.get(RabbitMqPublisher.HEADER_METADATA)).hasToString("{\"tenant\": \"acme\"}");
        assertThat(all.snapshot().get(0).getProperties().getCorrelationId()).isEqualTo("corr-1");
    }

    @Test
    void concurrentWritersWithRollbacksPublishEveryCommittedEventExactlyOnceAndNoRolledBackOne() throws Exception {
        Queue all = new Queue("#");
        String type = "Writer" + UUID.randomUUID().toString().substring(0, 8);
        RabbitMqPublisher publisher = publisher(broker(BROKER_PORT)).aggregateTypes(Set.of(type)).batchSize(7)
                .build();
        running(publisher, publisher.projections(dataSource));
        Set<String> committed = Collections.synchronizedSet(new HashSet<>());
        Set<String> rolledBack = Collections.synchronizedSet(new HashSet<>());
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String aggregate = "w" + w;
            done.add(writers.submit(() -> {
                for (int i = 0; i < 30; i++) {
                    try (Connection connection = schema.begin()) {
                        AppendResult result = STORE.on(connection).append(ExpectedVersion.any(), List.of(
                                Event.builder(type, aggregate, "written").topic("writer.event.written").build(),
                                Event.builder(type, aggregate, "written").topic("writer.event.written").build()));
                        List<String> ids = result.events().stream().map(e -> e.eventId().toString()).toList();
                        if (i % 3 == 2) {
                            connection.rollback();
                            rolledBack.addAll(ids);
                        } else {
                            connection.commit();
                            committed.addAll(ids);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> writer : done) {
            writer.get();
        }
        writers.shutdown();

        await(() -> all.distinctIds().size() >= committed.size(), () -> all.distinctIds().size() + " of "
                + committed.size() + " committed events published");

        assertThat(all.distinctIds()).isEqualTo(committed);
        assertThat(all.messageIds()).doesNotHaveDuplicates().doesNotContainAnyElementsOf(rolledBack);
        assertThat(rolledBack).hasSize(4 * 10 * 2);
        assertPerAggregateOrder(all.snapshot());
    }

    @Test
    void aFailureBetweenTheConfirmsAndTheCheckpointCommitPublishesTheBatchAgainWithTheSameMessageIds()
            throws Exception {
        Queue all = new Queue("#");
        String type = "Crash" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = appendMany(type, 3, 4);
        AtomicInteger commitsToFail = new AtomicInteger(1);
        BatchTransactions local = BatchTransactions.local(dataSource);
        BatchTransactions crashingBeforeCommit = new BatchTransactions() {
            @Override
            public <T> T inTransaction(Work<T> work) throws Exception {
                return local.inTransaction(connection -> {
                    T result = work.run(connection);
                    if (commitsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new SQLException("simulated crash after the broker confirmed, before the commit");
                    }
                    return result;
                });
            }

            @Override
            public <T> T autoCommit(Work<T> work) throws SQLException {
                return local.autoCommit(work);
            }
        };
        RabbitMqPublisher publisher = publisher(broker(BROKER_PORT)).aggregateTypes(Set.of(type)).batchSize(5)
                .build();

        AsyncProjections projections = running(publisher, publisher.projections(dataSource)
                .transactions(crashingBeforeCommit));
        await(() -> all.distinctIds().size() == ids.size() && projections.status(publisher.name()).caughtUp(),
                () -> all.distinctIds().size() + " of " + ids.size() + " published, "
                        + projections.status(publisher.name()));

        List<String> received = all.messageIds();
        assertThat(received).hasSize(ids.size() + 5);
        assertThat(received.subList(0, 5)).isEqualTo(received.subList(5, 10)).isEqualTo(ids.subList(0, 5));
        assertThat(deduplicated(all.snapshot())).extracting(d -> d.getProperties().getMessageId())
                .containsExactlyElementsOf(ids);
        assertThat(all.snapshot().get(5).getProperties().getHeaders())
                .isEqualTo(all.snapshot().get(0).getProperties().getHeaders());
        assertPerAggregateOrder(deduplicated(all.snapshot()));
    }

    @Test
    void aRestartedPublisherResumesFromItsCheckpoint() throws Exception {
        Queue all = new Queue("#");
        String type = "Resume" + UUID.randomUUID().toString().substring(0, 8);
        String name = "bus-" + UUID.randomUUID();
        List<String> before = appendMany(type, 2, 3);
        RabbitMqPublisher first = publisher(broker(BROKER_PORT)).name(name).aggregateTypes(Set.of(type)).build();
        AsyncProjections firstRun = first.projections(dataSource).build();
        await(() -> {
            firstRun.drain();
            return all.distinctIds().size() == before.size();
        }, "the first run published the first events");
        firstRun.close();
        first.close();

        List<String> after = appendMany(type, 2, 2);
        RabbitMqPublisher second = publisher(broker(BROKER_PORT)).name(name).aggregateTypes(Set.of(type)).build();
        AsyncProjections secondRun = running(second, second.projections(dataSource));
        await(() -> all.snapshot().size() >= before.size() + after.size()
                && secondRun.status(name).caughtUp(), "the second run published the new events");

        List<String> expected = new ArrayList<>(before);
        expected.addAll(after);
        assertThat(all.messageIds()).containsExactlyElementsOf(expected);
    }

    @Test
    void whileTheBrokerIsUnreachableThePublisherRetriesAndLagGrowsThenItCatchesUpWithoutSkipping() throws Exception {
        Queue all = new Queue("#");
        String type = "Outage" + UUID.randomUUID().toString().substring(0, 8);
        BrokerProxy proxy = new BrokerProxy(BROKER_HOST, BROKER_PORT);
        toClose.add(proxy);
        proxy.stop();
        List<String> ids = appendMany(type, 2, 3);
        RabbitMqPublisher publisher = publisher(broker(proxy.port())).aggregateTypes(Set.of(type)).batchSize(4)
                .build();

        AsyncProjections projections = running(publisher, publisher.projections(dataSource));
        await(() -> projections.status(publisher.name()).failureCount() >= 3,
                () -> "three failed attempts, " + projections.status(publisher.name()));
        List<String> more = appendMany(type, 2, 1);
        await(() -> projections.status(publisher.name()).lagEvents() == ids.size() + more.size(),
                () -> "the lag grew to every event, " + projections.status(publisher.name()));

        ProjectionStatus down = projections.status(publisher.name());
        assertThat(down.lastError()).get().asString().contains("cannot connect to RabbitMQ");
        assertThat(down.lastPosition()).isZero();
        assertThat(all.snapshot()).isEmpty();

        proxy.start();
        await(() -> projections.status(publisher.name()).caughtUp(),
                () -> "caught up after the broker came back, " + projections.status(publisher.name()));
        List<String> expected = new ArrayList<>(ids);
        expected.addAll(more);
        await(() -> all.snapshot().size() >= expected.size(), "every event arrived");
        assertThat(all.messageIds()).containsExactlyElementsOf(expected);
        assertThat(projections.status(publisher.name()).failureCount()).isZero();
    }

    @Test
    void aConnectionCutMidBatchLosesNothingAndTheRepeatsCarryTheSameMessageIds() throws Exception {
        Queue all = new Queue("#");
        String type = "Cut" + UUID.randomUUID().toString().substring(0, 8);
        BrokerProxy proxy = new BrokerProxy(BROKER_HOST, BROKER_PORT);
        toClose.add(proxy);
        List<String> ids = appendMany(type, 4, 25);
        // The handshake and declarations take about 1 kB; each message about 0.5 kB: this cuts the first batch midway.
        proxy.cutAfterClientBytes(12_000);
        RabbitMqPublisher publisher = publisher(broker(proxy.port())).aggregateTypes(Set.of(type)).batchSize(50)
                .build();

        AsyncProjections projections = running(publisher, publisher.projections(dataSource));
        await(() -> projections.status(publisher.name()).caughtUp() && all.distinctIds().size() == ids.size(),
                () -> all.distinctIds().size() + " of " + ids.size() + " published, "
                        + projections.status(publisher.name()));

        assertThat(all.distinctIds()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(deduplicated(all.snapshot())).extracting(d -> d.getProperties().getMessageId())
                .containsExactlyElementsOf(ids);
        assertPerAggregateOrder(deduplicated(all.snapshot()));
        assertThat(all.snapshot().size()).as("some messages of the cut batch were sent twice")
                .isGreaterThanOrEqualTo(ids.size());
    }

    @Test
    void theBuilderRefusesIncompleteOrInvalidSettings() {
        assertThatThrownBy(() -> RabbitMqPublisher.builder(null)).hasMessageContaining("config");
        RabbitMqPublisher.Builder builder = RabbitMqPublisher.builder(CONFIG);
        assertThatThrownBy(builder::build).hasMessageContaining("exchange is required");
        assertThatThrownBy(() -> RabbitMqPublisher.builder(CONFIG).exchange("events").build())
                .hasMessageContaining("connectionFactory(...) or uri(...)");
        assertThatThrownBy(() -> builder.exchange(" ")).hasMessageContaining("exchange must not be blank");
        assertThatThrownBy(() -> builder.exchange("a b")).hasMessageContaining("not a valid exchange name");
        assertThatThrownBy(() -> builder.exchange("amq.topic")).hasMessageContaining("reserves");
        assertThatThrownBy(() -> builder.batchSize(0)).hasMessageContaining("between 1 and 10000");
        assertThatThrownBy(() -> builder.confirmTimeout(Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> builder.uri("http://secret@host")).hasMessageContaining("not an AMQP URI")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> builder.uri("amqp://localhost").connectionFactory(new ConnectionFactory()))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> builder.name(" ")).hasMessageContaining("name");
        assertThatThrownBy(() -> builder.aggregateTypes(null)).hasMessageContaining("aggregateTypes");

        RabbitMqPublisher built = RabbitMqPublisher.builder(CONFIG).uri("amqp://guest:guest@localhost")
                .exchange("orders.events").build();
        assertThat(built.name()).isEqualTo("rabbitmq-orders.events");
        assertThat(built.batchSize()).isEqualTo(100);
        built.close();
    }
}

package dev.eventstore.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.maintenance.RetentionRun;
import dev.eventstore.maintenance.RetentionScope;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.query.EventQuery;
import dev.eventstore.testing.Await;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The code blocks of docs/topics-and-rabbitmq.md, run against PostgreSQL and the real RabbitMQ. Each test owns a
 * schema, and the exchange has a unique name, deleted afterwards.
 */
class TopicsAndRabbitMqDocTest {

    private static final StoreConfig CONFIG = StoreConfig.defaults();
    private static final PostgresEventStore STORE = PostgresEventStore.create(CONFIG);

    private final List<String> handled = Collections.synchronizedList(new ArrayList<>());

    @Test
    void topicsAreAppendedQueriedAndScopeRetention() throws Exception {
        try (TestSchema schema = TestDatabase.get().createSchema(CONFIG); Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);
            String appId = "app-1";
            store.append(ExpectedVersion.any(), Event.builder("Hook", "h-1", "hook.fired")
                    .topic("hook.triggered.order_created").build());
            store.append(ExpectedVersion.any(), Event.builder("App", "app-2", "app.registered").build());

            // doc: topic-append begins
            store.append(ExpectedVersion.noStream(), Event.builder("App", appId, "app.registered")
                    .topic("app.lifecycle.registered")
                    .jsonPayload("{\"name\":\"billing\"}")
                    .build());
            // doc: topic-append ends

            // doc: topic-query begins
            EventQuery lifecycle = EventQuery.builder()
                    .topics("app.lifecycle.#", "hook.triggered.*")   // any of these topics ...
                    .eventTypes("app.*", "hook.fired")               // ... and any of these types
                    .build();
            List<PersistedEvent> events = store.query(lifecycle);
            long matching = store.count(lifecycle);
            // doc: topic-query ends

            assertThat(events).extracting(PersistedEvent::topic)
                    .containsExactly("hook.triggered.order_created", "app.lifecycle.registered");
            assertThat(matching).isEqualTo(2);

            Instant cutoff = Instant.now().plusSeconds(1);
            // doc: topic-retention begins
            RetentionRun run = STORE.retentionOn(connection)
                    .deleteBefore(cutoff, RetentionScope.topics("hook.#").andEventTypes("hook.fired"));
            // doc: topic-retention ends
            assertThat(run.eventsDeleted()).isEqualTo(1);
            assertThat(store.count(EventQuery.all())).isEqualTo(2);
        }
    }

    @Test
    void thePublisherSendsCommittedEventsToTheExchangeAndTheConsumerDeduplicates() throws Exception {
        String exchange = "doc-app-events-" + UUID.randomUUID();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri("amqp://guest:guest@127.0.0.1:5672");
        try (TestSchema schema = TestDatabase.get().createSchema(CONFIG);
             com.rabbitmq.client.Connection connection = factory.newConnection("doc consumer")) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(schema.url());
            dataSource.setUser(schema.database().user());
            dataSource.setPassword(schema.database().password());
            StoreConfig config = CONFIG;
            connection.createChannel().exchangeDeclare(exchange, "topic", true);

            // doc: consumer begins
            Channel channel = connection.createChannel();
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, exchange, "app.lifecycle.#");
            Set<String> seen = ConcurrentHashMap.newKeySet();   // in production: a table keyed by the message id
            channel.basicConsume(queue, false, (tag, delivery) -> {
                String eventId = delivery.getProperties().getMessageId();
                if (seen.add(eventId)) {
                    handle(delivery.getEnvelope().getRoutingKey(), delivery.getProperties().getHeaders(),
                            delivery.getBody());
                }
                channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
            }, tag -> { });
            // doc: consumer ends

            try (Connection writer = schema.connect()) {
                EventStore store = STORE.on(writer);
                store.append(ExpectedVersion.noStream(), Event.builder("App", "app-1", "app.registered")
                        .topic("app.lifecycle.registered").jsonPayload("{\"name\":\"billing\"}").build());
                store.append(ExpectedVersion.noStream(), Event.builder("App", "app-2", "app.renamed")
                        .topic("app.settings.updated").build());
            }

            // doc: publisher begins
            RabbitMqPublisher publisher = RabbitMqPublisher.builder(config)   // the store's tables, notify channel
                    .uri("amqp://guest:guest@127.0.0.1:5672")                // or .connectionFactory(factory)
                    .exchange(exchange)                                      // a topic exchange, declared durable
                    .batchSize(100)                                          // per confirm wait and checkpoint
                    .build();
            AsyncProjections bus = publisher.projections(dataSource)        // never parks on a broker outage
                    .node("node-1")
                    .build();
            bus.start();
            // doc: publisher ends

            try {
                Await.await(() -> handled.size() == 1, "the lifecycle event arrived");
                assertThat(handled).containsExactly("app.lifecycle.registered App/app-1 {\"name\":\"billing\"}");
                Await.await(() -> bus.status(publisher.name()).caughtUp(), "the publisher caught up");
            } finally {
                // doc: publisher-stop begins
                bus.close();
                publisher.close();
                // doc: publisher-stop ends
                channel.exchangeDelete(exchange);
            }
        }
    }

    private void handle(String routingKey, Map<String, Object> headers, byte[] body) {
        handled.add(routingKey + " " + headers.get(RabbitMqPublisher.HEADER_AGGREGATE_TYPE) + "/"
                + headers.get(RabbitMqPublisher.HEADER_AGGREGATE_ID) + " " + new String(body, StandardCharsets.UTF_8));
    }
}

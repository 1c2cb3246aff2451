package dev.eventstore.rabbitmq;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.cdi.health.EventStoreLiveness;
import dev.eventstore.cdi.health.EventStoreReadiness;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.transaction.UserTransaction;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.eventstore.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The publisher in a container, configured by {@code eventstore.rabbitmq.*} keys alone: eventstore-cdi's extension
 * finds this module's provider with ServiceLoader and runs the publisher with the application. Weld SE with Narayana
 * and an enlisting pool on the real PostgreSQL, the real RabbitMQ on 127.0.0.1:5672; each test with an exchange,
 * queues, a projection name and aggregates of its own. The keys are system properties here, as on a server without
 * MicroProfile Config.
 */
class RabbitMqInContainerTest {

    private static final List<String> KEYS = List.of("eventstore.rabbitmq.enabled", "eventstore.rabbitmq.uri",
            "eventstore.rabbitmq.host", "eventstore.rabbitmq.port", "eventstore.rabbitmq.username",
            "eventstore.rabbitmq.password", "eventstore.rabbitmq.virtual-host", "eventstore.rabbitmq.exchange",
            "eventstore.rabbitmq.durable", "eventstore.rabbitmq.declare-exchange", "eventstore.rabbitmq.batch-size",
            "eventstore.rabbitmq.confirm-timeout", "eventstore.rabbitmq.name", "eventstore.rabbitmq.aggregate-types",
            "eventstore.async.poll-interval", "eventstore.async.backoff-initial", "eventstore.async.backoff-max",
            "eventstore.async.lease", "eventstore.health.max-lag");

    private TestSchema schema;
    private AgroalDataSource dataSource;
    private WeldContainer container;
    private com.rabbitmq.client.Connection consumerConnection;
    private Channel consumer;
    private String exchange;
    private String name;

    @BeforeEach
    void setUp() throws Exception {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        dataSource = JtaEnvironment.dataSource(schema, 4);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        consumerConnection = factory.newConnection("container-test consumer");
        consumer = consumerConnection.createChannel();
        exchange = "es-cdi-" + UUID.randomUUID();
        name = "bus-" + UUID.randomUUID();
        // Declared as the publisher will (not durable): the queues are bound before anything is published.
        consumer.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, false);
        System.setProperty("eventstore.async.poll-interval", "100ms");
    }

    @AfterEach
    void cleanUp() throws Exception {
        KEYS.forEach(System::clearProperty);
        if (container != null) {
            container.close();
        }
        consumer.exchangeDelete(exchange);
        consumerConnection.close();
        dataSource.close();
        schema.close();
    }

    private void configure(String uri) {
        System.setProperty("eventstore.rabbitmq.uri", uri);
        System.setProperty("eventstore.rabbitmq.exchange", exchange);
        System.setProperty("eventstore.rabbitmq.durable", "false");
        System.setProperty("eventstore.rabbitmq.batch-size", "2");
        System.setProperty("eventstore.rabbitmq.name", name);
    }

    @Test
    void committedJtaAppendsArriveOnAQueueBoundWithATopicPatternAndRolledBackOnesNever() throws Exception {
        // given the keys, and queues bound before the application starts
        configure("amqp://guest:guest@127.0.0.1:5672");
        Queue lifecycle = new Queue("app.lifecycle.#");
        Queue everything = new Queue("#");
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults(), StoreReadiness.class,
                StoreLiveness.class);
        EventStore store = container.select(EventStore.class).get();
        UserTransaction transaction = JtaEnvironment.userTransaction();
        String app = "app-" + UUID.randomUUID();

        // when the application appends in JTA transactions, one of them rolled back
        transaction.begin();
        Event registered = event(app, "app.registered", "app.lifecycle.registered");
        Event hooked = event(app, "hook.fired", "hook.triggered.registered");
        store.append(ExpectedVersion.noStream(), List.of(registered, hooked));
        transaction.commit();
        transaction.begin();
        Event rolledBack = event(app, "app.deleted", "app.lifecycle.deleted");
        store.append(ExpectedVersion.exact(2), rolledBack);
        transaction.rollback();
        transaction.begin();
        Event renamed = event(app, "app.renamed", "app.lifecycle.renamed");
        store.append(ExpectedVersion.exact(2), renamed);
        transaction.commit();

        // then the lifecycle queue gets the two committed lifecycle events, in order, the event id as message id
        await(() -> lifecycle.messageIds().size() == 2, () -> "two lifecycle messages, got " + lifecycle.messageIds());
        assertThat(lifecycle.messageIds()).containsExactly(registered.eventId().toString(),
                renamed.eventId().toString());
        assertThat(lifecycle.routingKeys()).containsExactly("app.lifecycle.registered", "app.lifecycle.renamed");
        assertThat(lifecycle.snapshot().get(1).getProperties().getHeaders())
                .containsEntry(RabbitMqPublisher.HEADER_AGGREGATE_VERSION, 3L);
        // and once the publisher has published everything, nothing else came: never the rolled-back event
        HealthCheck readiness = container.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
        await(() -> Long.valueOf(0).equals(data(readiness).get(name + ".lag-events")), "the publisher caught up");
        assertThat(everything.messageIds()).containsExactly(registered.eventId().toString(),
                hooked.eventId().toString(), renamed.eventId().toString());
        assertThat(lifecycle.messageIds()).hasSize(2).doesNotContain(rolledBack.eventId().toString());
        // and the health checks report it beside the store
        HealthCheckResponse ready = readiness.call();
        assertThat(ready.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(ready.getData().orElseThrow()).containsEntry(name + ".runtime", "RUNNING")
                .containsEntry(name + ".state", "RUNNING");
        HealthCheckResponse live = container.select(HealthCheck.class, Liveness.Literal.INSTANCE).get().call();
        assertThat(live.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void withTheBrokerDownTheApplicationStartsThePublisherRetriesReadinessSaysWhyAndNothingIsSkipped()
            throws Exception {
        // given a broker that refuses connections (a relay in front of the real one, stopped)
        try (BrokerProxy proxy = new BrokerProxy("127.0.0.1", 5672)) {
            proxy.stop();
            configure("amqp://guest:guest@127.0.0.1:" + proxy.port());
            System.setProperty("eventstore.async.backoff-initial", "50ms");
            System.setProperty("eventstore.async.backoff-max", "200ms");
            System.setProperty("eventstore.health.max-lag", "1s");
            Queue lifecycle = new Queue("app.lifecycle.#");
            container = CdiTestContainer.start(dataSource, StoreConfig.defaults(), StoreReadiness.class);
            HealthCheck readiness = container.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
            EventStore store = container.select(EventStore.class).get();
            UserTransaction transaction = JtaEnvironment.userTransaction();
            String app = "app-" + UUID.randomUUID();

            // when an event is committed
            transaction.begin();
            Event registered = event(app, "app.registered", "app.lifecycle.registered");
            store.append(ExpectedVersion.noStream(), registered);
            transaction.commit();

            // then the publisher retries, readiness names the failure, and turns DOWN once the lag passes max-lag
            await(() -> data(readiness).get(name + ".failures") instanceof Long failures && failures >= 2,
                    () -> "repeated failures reported, got " + data(readiness));
            assertThat((String) data(readiness).get(name + ".last-error")).contains("cannot connect to RabbitMQ");
            await(() -> readiness.call().getStatus() == HealthCheckResponse.Status.DOWN,
                    () -> "readiness DOWN once the lag passes 1 s, got " + data(readiness));
            assertThat((String) data(readiness).get("reasons")).contains("projection " + name + " lags")
                    .contains("cannot connect to RabbitMQ");
            assertThat(data(readiness)).containsEntry(name + ".state", "RUNNING").containsEntry(name + ".lag-events",
                    1L);
            assertThat(lifecycle.messageIds()).isEmpty();

            // and when the broker is back, the event is published and readiness is UP again
            proxy.start();
            await(() -> lifecycle.messageIds().size() == 1, "the event published once the broker is back");
            assertThat(lifecycle.messageIds()).containsExactly(registered.eventId().toString());
            await(() -> readiness.call().getStatus() == HealthCheckResponse.Status.UP, "readiness UP again");
        }
    }

    @Test
    void invalidKeysFailTheDeploymentNamingEachKeyAndNeverThePassword() {
        System.setProperty("eventstore.rabbitmq.uri", "amqp://guest:s3cret@127.0.0.1:5672");
        System.setProperty("eventstore.rabbitmq.host", "127.0.0.1");
        System.setProperty("eventstore.rabbitmq.exchange", "amq.events");
        System.setProperty("eventstore.rabbitmq.batch-size", "lots");
        System.setProperty("eventstore.rabbitmq.confirm-timeout", "-1s");
        System.setProperty("eventstore.rabbitmq.durable", "maybe");
        System.setProperty("eventstore.async.lease", "a while");

        assertThatThrownBy(() -> container = CdiTestContainer.start(dataSource, StoreConfig.defaults(),
                StoreReadiness.class))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("Invalid event store configuration")
                .hasMessageContaining("eventstore.rabbitmq.uri and eventstore.rabbitmq.host exclude each other")
                .hasMessageContaining("eventstore.rabbitmq.exchange: exchange 'amq.events' uses the prefix 'amq.'")
                .hasMessageContaining("eventstore.rabbitmq.batch-size must be a whole number from 1 to 10000;"
                        + " was 'lots'")
                .hasMessageContaining("eventstore.rabbitmq.confirm-timeout must be a positive duration")
                .hasMessageContaining("eventstore.rabbitmq.durable must be true or false; was 'maybe'")
                .hasMessageContaining("eventstore.async.lease must be a positive duration")
                .message().doesNotContain("s3cret");
    }

    @Test
    void aBrokerlessPublisherKeyOrAMissingExchangeFailsTheDeployment() throws Exception {
        System.setProperty("eventstore.rabbitmq.exchange", exchange);
        assertThatThrownBy(() -> container = CdiTestContainer.start(dataSource, StoreConfig.defaults(),
                StoreReadiness.class))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("eventstore.rabbitmq.exchange set, but the RabbitMQ publisher is not enabled:"
                        + " set eventstore.rabbitmq.uri or eventstore.rabbitmq.host");

        System.clearProperty("eventstore.rabbitmq.exchange");
        System.setProperty("eventstore.rabbitmq.enabled", "true");
        assertThatThrownBy(() -> container = CdiTestContainer.start(dataSource, StoreConfig.defaults(),
                StoreReadiness.class))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("eventstore.rabbitmq.exchange is required when the RabbitMQ publisher is"
                        + " enabled");
    }

    private static Event event(String app, String type, String topic) {
        return Event.builder("App", app, type).topic(topic).jsonPayload("{\"app\":\"" + app + "\"}").build();
    }

    private static Map<String, Object> data(HealthCheck check) {
        return check.call().getData().orElse(Map.of());
    }

    /** Messages of one queue, bound before the publisher starts, in arrival order. */
    private final class Queue {
        private final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());

        Queue(String bindingKey) throws Exception {
            String queue = consumer.queueDeclare("", false, true, true, null).getQueue();
            consumer.queueBind(queue, exchange, bindingKey);
            consumer.basicConsume(queue, true, (tag, delivery) -> deliveries.add(delivery), tag -> { });
        }

        List<Delivery> snapshot() {
            synchronized (deliveries) {
                return List.copyOf(deliveries);
            }
        }

        List<String> messageIds() {
            return snapshot().stream().map(d -> d.getProperties().getMessageId()).toList();
        }

        List<String> routingKeys() {
            return snapshot().stream().map(d -> d.getEnvelope().getRoutingKey()).toList();
        }
    }

    @Readiness
    @ApplicationScoped
    public static class StoreReadiness extends EventStoreReadiness {
    }

    @Liveness
    @ApplicationScoped
    public static class StoreLiveness extends EventStoreLiveness {
    }
}

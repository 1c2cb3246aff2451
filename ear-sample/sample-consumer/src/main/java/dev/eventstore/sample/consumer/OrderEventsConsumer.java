package dev.eventstore.sample.consumer;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * A subscriber of the sample's order events: a queue of its own, bound to the topic exchange {@code orders} with a
 * pattern (default {@code order.lifecycle.#}), printing each event once: routing key, message id (the event id, the
 * key to deduplicate on, since delivery is at-least-once), aggregate version and payload.
 *
 * <pre>mvn -q -pl ear-sample/sample-consumer compile exec:java [-Dexec.args=order.#]</pre>
 *
 * The broker: {@code EVENTSTORE_RABBITMQ_URI}, the variable the sample reads too; default
 * {@code amqp://guest:guest@localhost:5672}.
 */
public final class OrderEventsConsumer {

    static final String EXCHANGE = "orders";

    private OrderEventsConsumer() {
    }

    public static void main(String[] args) throws Exception {
        String pattern = args.length > 0 ? args[0] : "order.lifecycle.#";
        String uri = System.getenv().getOrDefault("EVENTSTORE_RABBITMQ_URI", "amqp://guest:guest@localhost:5672");
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        Connection connection = factory.newConnection("orders-sample consumer");
        subscribe(connection.createChannel(), EXCHANGE, pattern, System.out::println);
        System.out.println("Waiting for " + pattern + " on exchange " + EXCHANGE + " (Ctrl-C stops)");
        new CountDownLatch(1).await();
    }

    /**
     * Binds a server-named queue (deleted when the connection closes) to {@code exchange} with {@code pattern} and
     * hands each message's {@linkplain #describe description} to {@code out}, skipping message ids already seen.
     */
    static void subscribe(Channel channel, String exchange, String pattern, Consumer<String> out) throws IOException {
        channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true); // as the sample's publisher declares it
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, exchange, pattern);
        Set<String> seen = ConcurrentHashMap.newKeySet(); // a real subscriber keeps them with its own changes
        channel.basicConsume(queue, false, (tag, delivery) -> {
            if (seen.add(delivery.getProperties().getMessageId())) {
                out.accept(describe(delivery));
            }
            channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
        }, tag -> { });
    }

    static String describe(Delivery delivery) {
        Object version = delivery.getProperties().getHeaders() == null ? null
                : delivery.getProperties().getHeaders().get("aggregate-version");
        return delivery.getEnvelope().getRoutingKey() + "  id=" + delivery.getProperties().getMessageId() + "  v"
                + version + "  " + new String(delivery.getBody(), StandardCharsets.UTF_8);
    }
}

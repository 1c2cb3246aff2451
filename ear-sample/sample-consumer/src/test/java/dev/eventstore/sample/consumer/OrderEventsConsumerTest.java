package dev.eventstore.sample.consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample's subscriber against the real RabbitMQ on 127.0.0.1:5672, on an exchange of the test's own. */
class OrderEventsConsumerTest {

    @Test
    void printsEachMatchingEventOnceAndNothingElse() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        String exchange = "sample-consumer-test-" + UUID.randomUUID();
        try (Connection connection = factory.newConnection("sample consumer test")) {
            Channel publisher = connection.createChannel();
            List<String> printed = new CopyOnWriteArrayList<>();
            try {
                OrderEventsConsumer.subscribe(connection.createChannel(), exchange, "order.lifecycle.#", printed::add);

                publish(publisher, exchange, "order.lifecycle.placed", "event-1", "{\"orderId\":\"o-1\"}");
                publish(publisher, exchange, "order.line.added", "event-2", "{\"orderId\":\"o-1\"}");
                publish(publisher, exchange, "order.lifecycle.placed", "event-1", "{\"orderId\":\"o-1\"}"); // repeat
                publish(publisher, exchange, "order.lifecycle.confirmed", "event-3", "{\"orderId\":\"o-1\"}");

                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (printed.size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                // the confirmed event came after the repeat on the same queue: the repeat was seen and skipped
                assertThat(printed).containsExactly(
                        "order.lifecycle.placed  id=event-1  v1  {\"orderId\":\"o-1\"}",
                        "order.lifecycle.confirmed  id=event-3  v1  {\"orderId\":\"o-1\"}");
            } finally {
                publisher.exchangeDelete(exchange);
            }
        }
    }

    private static void publish(Channel channel, String exchange, String routingKey, String messageId, String body)
            throws Exception {
        channel.basicPublish(exchange, routingKey, new AMQP.BasicProperties.Builder().messageId(messageId)
                .headers(Map.of("aggregate-version", 1L)).build(), body.getBytes(StandardCharsets.UTF_8));
    }
}

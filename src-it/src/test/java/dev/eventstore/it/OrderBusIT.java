package dev.eventstore.it;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sample publishes its order events to the RabbitMQ topic exchange {@code orders} by configuration alone
 * (eventstore-rabbitmq in the EAR's lib, {@code eventstore.rabbitmq.*} in its microprofile-config.properties): a
 * consumer bound with {@code order.lifecycle.#} on the local broker receives a placed and a confirmed order, with the
 * event ids as message ids, and not the line in between (topic {@code order.line.added}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OrderBusIT {

    private static final String BASE = System.getProperty("sample.base.url");
    private static final String EXCHANGE = "orders";

    @Deployment(testable = false)
    static EnterpriseArchive sample() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("sample.ear")));
    }

    @Test
    void aPlacedAndConfirmedOrderArrivesOnAQueueBoundWithOrderLifecycleWithTheEventIdsAsMessageIds()
            throws Exception {
        ConnectionFactory broker = new ConnectionFactory();
        broker.setHost("127.0.0.1");
        broker.setPort(5672);
        try (Connection connection = broker.newConnection("OrderBusIT");
             Channel channel = connection.createChannel()) {
            // given a consumer's queue, bound before the order is placed (declared as the publisher declares it)
            channel.exchangeDeclare(EXCHANGE, BuiltinExchangeType.TOPIC, true);
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, EXCHANGE, "order.lifecycle.#");
            List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
            channel.basicConsume(queue, true, (tag, delivery) -> deliveries.add(delivery), tag -> { });

            // when an order is placed, gets a line and is confirmed through the REST API
            HttpResponse<String> placed = post("/orders", "{\"customer\":\"bus-" + UUID.randomUUID()
                    + "\",\"currency\":\"EUR\"}");
            assertEquals(201, placed.statusCode(), placed.body());
            String orderId = json(placed.body()).getString("orderId");
            assertEquals(200, post("/orders/" + orderId + "/lines",
                    "{\"sku\":\"BOOK\",\"quantity\":1,\"unitPriceCents\":1250}").statusCode());
            assertEquals(200, post("/orders/" + orderId + "/confirm", "").statusCode());

            // then the queue receives the two lifecycle events of this order, in order, ids from the store
            OpsClient.await(() -> ofOrder(deliveries, orderId).size() >= 2,
                    "the placed and confirmed order on the queue bound with order.lifecycle.#");
            Map<String, String> eventIds = eventIdsByType(orderId);
            List<Delivery> received = ofOrder(deliveries, orderId);
            assertEquals(List.of("order.lifecycle.placed", "order.lifecycle.confirmed"),
                    received.stream().map(d -> d.getEnvelope().getRoutingKey()).toList());
            assertEquals(List.of(eventIds.get("OrderPlaced"), eventIds.get("OrderConfirmed")),
                    received.stream().map(d -> d.getProperties().getMessageId()).toList());
            assertEquals("OrderPlaced", received.get(0).getProperties().getType());
            assertEquals(orderId, json(new String(received.get(0).getBody())).getString("orderId"));
        }
        // Payara serves the sample's readiness check (WildFly collects none from an EAR): the publisher is in it.
        if ("payara".equals(System.getProperty("arquillian.launch"))) {
            OpsClient.awaitReadiness("UP");
            JsonObject data = OpsClient.storeReadiness().orElseThrow().getJsonObject("data");
            assertEquals("RUNNING", data.getString("rabbitmq-orders.runtime"), data.toString());
            assertEquals("RUNNING", data.getString("rabbitmq-orders.state"), data.toString());
        }
    }

    /** The deliveries of one order, by the publisher's aggregate-id header. */
    private static List<Delivery> ofOrder(List<Delivery> deliveries, String orderId) {
        synchronized (deliveries) {
            return deliveries.stream()
                    .filter(d -> orderId.equals(String.valueOf(d.getProperties().getHeaders().get("aggregate-id"))))
                    .toList();
        }
    }

    private static Map<String, String> eventIdsByType(String orderId) throws Exception {
        HttpResponse<String> events = OpsClient.HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/orders/"
                + orderId + "/events")).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, events.statusCode(), events.body());
        try (JsonReader reader = Json.createReader(new StringReader(events.body()))) {
            return reader.readArray().getValuesAs(JsonObject.class).stream()
                    .collect(Collectors.toMap(e -> e.getString("type"), e -> e.getString("eventId"), (a, b) -> a));
        }
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return OpsClient.HTTP.send(HttpRequest.newBuilder(URI.create(BASE + path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        }
    }
}

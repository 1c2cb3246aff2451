package dev.eventstore.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sample's REST API, end to end, against the EAR exactly as it is packaged for users. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OrderApiIT {

    private static final String BASE = System.getProperty("sample.base.url");
    private static final String CUSTOMER_TOTALS = "customer-totals-v1";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Deployment(testable = false)
    static EnterpriseArchive sample() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("sample.ear")));
    }

    @Test
    void anOrderIsPlacedFilledConfirmedAndListedFromTheReadModel() throws Exception {
        String customer = "alice-" + UUID.randomUUID();

        HttpResponse<String> placed = post("/orders", null, "{\"customer\":\"" + customer + "\",\"currency\":\"EUR\"}");
        assertEquals(201, placed.statusCode(), placed.body());
        String id = json(placed).getString("orderId");
        assertEquals("\"1\"", placed.headers().firstValue("ETag").orElseThrow());
        assertTrue(placed.headers().firstValue("Location").orElseThrow().endsWith("/orders/" + id));

        assertEquals(200, post("/orders/" + id + "/lines", "1", line("BOOK", 2, 1250)).statusCode());
        assertEquals(200, post("/orders/" + id + "/lines", null, line("PEN", 1, 199)).statusCode());
        HttpResponse<String> confirmed = post("/orders/" + id + "/confirm", "3", "");
        assertEquals(200, confirmed.statusCode(), confirmed.body());
        assertEquals(4, json(confirmed).getInt("version"));

        JsonObject overview = json(get("/orders/" + id));
        assertEquals(customer, overview.getString("customer"));
        assertEquals("CONFIRMED", overview.getString("status"));
        assertEquals(2699, overview.getJsonNumber("totalCents").longValue());
        assertEquals(2, overview.getInt("lineCount"));
        assertEquals(4, overview.getJsonNumber("version").longValue());

        JsonArray listed = jsonArray(get("/orders?customer=" + customer));
        assertEquals(1, listed.size());
        // Asynchronous: the totals exist once OrderPlaced is handled, the lines may come in a later batch.
        awaitCaughtUp(CUSTOMER_TOTALS);
        JsonObject totals = json(get("/customers/" + customer));
        assertEquals(1, totals.getInt("orders"));
        assertEquals(2, totals.getInt("lines"));
        assertEquals(2699, totals.getJsonNumber("totalCents").longValue());

        JsonArray events = jsonArray(get("/orders/" + id + "/events"));
        assertEquals(List.of("OrderPlaced", "OrderLineAdded", "OrderLineAdded", "OrderConfirmed"),
                events.getValuesAs(JsonObject.class).stream().map(e -> e.getString("type")).toList());
    }

    @Test
    void aStaleIfMatchIsAConflictWithAUsefulBodyAndChangesNothing() throws Exception {
        String id = placeOrder();
        assertEquals(200, post("/orders/" + id + "/lines", "1", line("A", 1, 100)).statusCode());

        HttpResponse<String> stale = post("/orders/" + id + "/lines", "1", line("B", 1, 100));

        assertEquals(409, stale.statusCode(), stale.body());
        JsonObject body = json(stale);
        assertEquals(1, body.getJsonNumber("expectedVersion").longValue());
        assertEquals(2, body.getJsonNumber("actualVersion").longValue());
        assertTrue(body.getString("message").contains("If-Match"));
        assertEquals(1, json(get("/orders/" + id)).getInt("lineCount"));
    }

    @Test
    void concurrentUpdatesOfOneOrderLetExactlyOneWin() throws Exception {
        String id = placeOrder();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> racers = List.of(1, 2, 3, 4).stream()
                .map(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        return post("/orders/" + id + "/lines", "1", line("SKU-" + i, 1, 100)).statusCode();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })).toList();
        start.countDown();

        List<Integer> statuses = racers.stream().map(CompletableFuture::join).sorted().toList();

        assertEquals(List.of(200, 409, 409, 409), statuses);
        JsonObject overview = json(get("/orders/" + id));
        assertEquals(1, overview.getInt("lineCount"));
        assertEquals(2, overview.getJsonNumber("version").longValue());
    }

    @Test
    void invalidCommandsAreBadRequestsAndWriteNothing() throws Exception {
        String customer = "bob-" + UUID.randomUUID();
        assertEquals(400, post("/orders", null, "{\"customer\":\"" + customer + "\",\"currency\":\"euro\"}")
                .statusCode());
        assertEquals(0, jsonArray(get("/orders?customer=" + customer)).size());

        String id = placeOrder();
        HttpResponse<String> emptyConfirm = post("/orders/" + id + "/confirm", null, "");
        assertEquals(400, emptyConfirm.statusCode());
        assertTrue(json(emptyConfirm).getString("message").contains("without lines"));
        assertEquals(400, post("/orders/" + id + "/lines", null, line("X", 0, 100)).statusCode());
        assertEquals(400, post("/orders/" + id + "/lines", "not-a-number", line("X", 1, 100)).statusCode());
        assertEquals("OPEN", json(get("/orders/" + id)).getString("status"));
        assertEquals(1, jsonArray(get("/orders/" + id + "/events")).size());
    }

    @Test
    void committedCommandsNotifyTheConfiguredChannelAndRejectedOnesDoNot() throws Exception {
        try (Connection listener = DriverManager.getConnection(System.getenv("EVENTSTORE_DB_URL"),
                env("EVENTSTORE_DB_USER", "postgres"), env("EVENTSTORE_DB_PASSWORD", ""));
             Statement statement = listener.createStatement()) {
            statement.execute("LISTEN eventstore_it");
            String id = placeOrder();
            assertEquals(409, post("/orders/" + id + "/lines", "7", line("A", 1, 100)).statusCode());
            assertEquals(200, post("/orders/" + id + "/lines", "1", line("B", 1, 100)).statusCode());

            List<String> payloads = new ArrayList<>();
            PGNotification[] batch = listener.unwrap(PGConnection.class).getNotifications(10_000);
            while (batch != null && batch.length > 0) {
                for (PGNotification notification : batch) {
                    payloads.add(notification.getParameter());
                }
                batch = listener.unwrap(PGConnection.class).getNotifications(500);
            }

            assertEquals(List.of("Order", "Order"), payloads, "one notification per committed command");
        }
    }

    @Test
    void aRebuildOfTheCustomerTotalsReproducesThemInsteadOfAddingToThem() throws Exception {
        // given two orders of one customer, totalled by the asynchronous projection
        String customer = "erin-" + UUID.randomUUID();
        for (int order = 0; order < 2; order++) {
            HttpResponse<String> placed = post("/orders", null,
                    "{\"customer\":\"" + customer + "\",\"currency\":\"EUR\"}");
            assertEquals(201, placed.statusCode(), placed.body());
            String id = json(placed).getString("orderId");
            assertEquals(200, post("/orders/" + id + "/lines", null, line("BOOK", 2, 1250)).statusCode());
            assertEquals(200, post("/orders/" + id + "/lines", null, line("PEN", 1, 199)).statusCode());
        }
        awaitCaughtUp(CUSTOMER_TOTALS);
        JsonObject before = json(get("/customers/" + customer));
        // Non-zero, so a replay onto the old totals (no reset) would show as doubled figures.
        assertEquals(2, before.getInt("orders"));
        assertEquals(4, before.getInt("lines"));
        assertEquals(5398, before.getJsonNumber("totalCents").longValue());

        // when the projection is rebuilt
        HttpResponse<String> rebuilt = post("/projections/" + CUSTOMER_TOTALS + "/rebuild", null, "");
        assertEquals(202, rebuilt.statusCode(), rebuilt.body());
        awaitCaughtUp(CUSTOMER_TOTALS);

        // then the totals are what they were
        JsonObject after = json(get("/customers/" + customer));
        assertEquals(before.getInt("orders"), after.getInt("orders"), after.toString());
        assertEquals(before.getInt("lines"), after.getInt("lines"), after.toString());
        assertEquals(before.getJsonNumber("totalCents").longValue(), after.getJsonNumber("totalCents").longValue(),
                after.toString());
        assertEquals(404, post("/projections/no-such-projection/rebuild", null, "").statusCode());
    }

    @Test
    void theSampleServesItsProjectionMetersAndOnPayaraItsReadiness() throws Exception {
        String customer = "frank-" + UUID.randomUUID();
        assertEquals(201, post("/orders", null, "{\"customer\":\"" + customer + "\",\"currency\":\"EUR\"}")
                .statusCode());
        awaitCaughtUp(CUSTOMER_TOTALS);

        HttpResponse<String> meters = get("/metrics");

        assertEquals(200, meters.statusCode(), meters.body());
        String handled = meters.body().lines()
                .filter(line -> line.startsWith("eventstore.projection.events.handled{projection=\""
                        + CUSTOMER_TOTALS + "\"}"))
                .findFirst().orElseThrow(() -> new AssertionError("no handled counter in:\n" + meters.body()));
        assertTrue(Double.parseDouble(handled.substring(handled.lastIndexOf(' ') + 1)) >= 1, handled);
        assertTrue(meters.body().contains("eventstore.projection.lag.events{projection=\"" + CUSTOMER_TOTALS
                + "\"} 0.0"), meters.body());
        // WildFly (35, 39) collects no MicroProfile Health checks from an EAR's modules (OperabilityIT proves them in
        // a WAR there); Payara serves the sample's, declared in its EJB module.
        if ("payara".equals(System.getProperty("arquillian.launch"))) {
            OpsClient.awaitReadiness("UP");
        }
    }

    @Test
    void unknownOrdersAreNotFound() throws Exception {
        String unknown = UUID.randomUUID().toString();
        assertEquals(404, get("/orders/" + unknown).statusCode());
        assertEquals(404, post("/orders/" + unknown + "/lines", null, line("X", 1, 1)).statusCode());
        assertEquals(404, post("/orders/" + unknown + "/confirm", null, "").statusCode());
    }

    /** Polls the projection's status until it has handled every committed event of its aggregate types. */
    private static void awaitCaughtUp(String projection) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> status = get("/projections/" + projection);
        while (!(status.statusCode() == 200 && json(status).getBoolean("caughtUp"))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = get("/projections/" + projection);
        }
        assertEquals(200, status.statusCode(), status.body());
        assertTrue(json(status).getBoolean("caughtUp"), projection + " did not catch up: " + status.body());
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String placeOrder() throws Exception {
        HttpResponse<String> placed = post("/orders", null,
                "{\"customer\":\"carol-" + UUID.randomUUID() + "\",\"currency\":\"USD\"}");
        assertEquals(201, placed.statusCode(), placed.body());
        return json(placed).getString("orderId");
    }

    private static String line(String sku, int quantity, long unitPriceCents) {
        return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + ",\"unitPriceCents\":" + unitPriceCents + "}";
    }

    private static HttpResponse<String> post(String path, String ifMatch, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(BASE + path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", "\"" + ifMatch + "\"");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> response) {
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }

    private static JsonArray jsonArray(HttpResponse<String> response) {
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readArray();
        }
    }
}

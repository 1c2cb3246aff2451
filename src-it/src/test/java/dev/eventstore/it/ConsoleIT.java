package dev.eventstore.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operations console in the sample EAR, through its REST API, with the server's own realm: the demo users
 * {@code viewer} and {@code operator} (configured by the server set-up scripts), each role, each action, 401 and 403,
 * bad filters and the cross-site request check.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleIT {

    private static final String SAMPLE = System.getProperty("sample.base.url");
    private static final String CONSOLE = SAMPLE.replace("/orders/api", "/console");
    private static final String PROJECTION = "customer-totals-v1";
    private static final String VIEWER = "viewer:Viewer-demo-1";
    private static final String OPERATOR = "operator:Operator-demo-1";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Deployment(testable = false)
    static EnterpriseArchive sample() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("sample.ear")));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String credentials) throws Exception {
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String credentials) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(CONSOLE + path)).GET(), credentials);
    }

    private static HttpResponse<String> act(String action, String credentials, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(CONSOLE + "/api/projections/" + PROJECTION
                + "/" + action)).POST(HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request, credentials);
    }

    private static HttpResponse<String> operatorAct(String action) throws Exception {
        return act(action, OPERATOR, "X-Requested-By", "eventstore-console");
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

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String placeOrder() throws Exception {
        HttpResponse<String> placed = HTTP.send(HttpRequest.newBuilder(URI.create(SAMPLE + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"customer\":\"console-" + UUID.randomUUID()
                        + "\",\"currency\":\"EUR\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, placed.statusCode(), placed.body());
        return json(placed).getString("orderId");
    }

    private static void assertStatus(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
    }

    @Test
    void withoutCredentialsEverythingIs401() throws Exception {
        assertStatus(401, get("/api/events", null));
        assertStatus(401, get("/", null));
        assertStatus(401, act("pause", null, "X-Requested-By", "x"));
        assertStatus(401, get("/api/events", "viewer:wrong-password"));
    }

    @Test
    void aViewerFindsAnOrderByWildcardAndMetadataAndOpensItsEvent() throws Exception {
        String orderId = placeOrder();

        HttpResponse<String> found = get("/api/events?eventType=" + q("*") + "&metadata=" + q("{}")
                + "&aggregateType=Order&aggregateId=" + q(orderId), VIEWER);
        assertStatus(200, found);
        JsonObject page = json(found);
        assertEquals(1, page.getJsonNumber("total").longValue());
        JsonObject summary = page.getJsonArray("events").getJsonObject(0);
        assertEquals(orderId, summary.getString("aggregateId"));

        HttpResponse<String> opened = get("/api/events/" + summary.getJsonNumber("position").longValue(), VIEWER);
        assertStatus(200, opened);
        JsonObject detail = json(opened);
        assertEquals("json", detail.getJsonObject("payload").getString("format"));
        assertTrue(detail.getJsonObject("payload").getString("text").contains(orderId), detail.toString());
        assertEquals(orderId, detail.getString("correlationId"));
        assertEquals(1, detail.getJsonObject("links").getJsonNumber("correlated").longValue());

        HttpResponse<String> correlated = get("/api/events?correlationId=" + q(orderId), VIEWER);
        assertEquals(1, json(correlated).getJsonNumber("total").longValue());
        assertStatus(200, get("/api/streams/Order/" + q(orderId), VIEWER));
        assertStatus(200, get("/api/overview", VIEWER));
        HttpResponse<String> page404 = get("/api/events/999999999", VIEWER);
        assertStatus(404, page404);
    }

    @Test
    void theFrontEndIsServedToEitherRole() throws Exception {
        HttpResponse<String> index = get("/", VIEWER);
        assertStatus(200, index);
        assertTrue(index.body().contains("Event store console"));
        assertStatus(200, get("/console.js", OPERATOR));
        JsonObject viewer = json(get("/api/me", VIEWER));
        assertEquals("viewer", viewer.getString("user"));
        assertFalse(viewer.getBoolean("operator"));
        assertTrue(json(get("/api/me", OPERATOR)).getBoolean("operator"));
    }

    @Test
    void aViewerSeesProjectionsButMayNotAct() throws Exception {
        HttpResponse<String> listed = get("/api/projections", VIEWER);
        assertStatus(200, listed);
        assertTrue(jsonArray(listed).stream().map(JsonValue::asJsonObject)
                .anyMatch(p -> p.getString("name").equals(PROJECTION)), listed.body());
        assertStatus(200, get("/api/projections/" + PROJECTION, VIEWER));

        for (String action : new String[] {"pause", "resume", "unpark", "rebuild"}) {
            assertStatus(403, act(action, VIEWER, "X-Requested-By", "eventstore-console"));
        }
        assertEquals("RUNNING", json(get("/api/projections/" + PROJECTION, VIEWER)).getString("state"));
    }

    @Test
    void anOperatorPausesResumesAndRebuildsAndIsToldWhenThereIsNothingToUnpark() throws Exception {
        HttpResponse<String> paused = operatorAct("pause");
        assertStatus(200, paused);
        assertEquals("PAUSED", json(paused).getString("state"));

        HttpResponse<String> unpark = operatorAct("unpark");
        assertStatus(409, unpark);
        assertTrue(json(unpark).getString("message").contains("not parked"));

        HttpResponse<String> resumed = operatorAct("resume");
        assertStatus(200, resumed);
        assertEquals("RUNNING", json(resumed).getString("state"));

        assertStatus(200, operatorAct("rebuild"));
        assertStatus(404, send(HttpRequest.newBuilder(URI.create(CONSOLE + "/api/projections/nope/pause"))
                .header("X-Requested-By", "x").POST(HttpRequest.BodyPublishers.noBody()), OPERATOR));
    }

    @Test
    void actionsWithoutTheHeaderOrFromAnotherOriginAreRefused() throws Exception {
        HttpResponse<String> noHeader = act("pause", OPERATOR);
        assertStatus(403, noHeader);
        assertEquals("csrf", json(noHeader).getString("error"));

        HttpResponse<String> foreign = act("pause", OPERATOR, "X-Requested-By", "x", "Origin",
                "http://evil.example");
        assertStatus(403, foreign);
        assertEquals("csrf", json(foreign).getString("error"));
        assertEquals("RUNNING", json(get("/api/projections/" + PROJECTION, OPERATOR)).getString("state"));
    }

    @Test
    void badFiltersAre400WithAClearMessageAndNoStackTrace() throws Exception {
        String[][] cases = {
                {"eventType=" + q("order*"), "order*"},
                {"metadata=" + q("[1]"), "metadata must be a JSON object"},
                {"metadata=" + q("{\"a\":"), "metadata must be a JSON object"},
                {"createdFrom=yesterday", "createdFrom"},
                {"positionFrom=9&positionTo=3", "positionFrom must not be greater"},
                {"limit=100000", "limit must be at most"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = get("/api/events?" + c[0], VIEWER);
            assertStatus(400, response);
            JsonObject body = json(response);
            assertEquals("bad-filter", body.getString("error"));
            assertTrue(body.getString("message").contains(c[1]), body.toString());
            assertFalse(response.body().contains("Exception") || response.body().contains("\tat "),
                    response.body());
        }
        assertStatus(400, get("/api/events/abc", VIEWER));
    }
}

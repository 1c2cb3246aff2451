package dev.eventstore.it;

import dev.eventstore.it.app.OpsProjection;
import dev.eventstore.it.app.OpsResumeServlet;
import dev.eventstore.it.app.OpsRows;
import dev.eventstore.it.app.ItSchema;
import dev.eventstore.it.app.OpsSchema;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

import static dev.eventstore.it.OpsClient.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deployment that never touches the store: its ASYNC projection starts with the application, wakes on LISTEN/NOTIFY
 * (not polling) through the server's pooled connections, and the server's readiness endpoint follows it through a
 * park and a resume. The test JVM plays the other node that appends.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OperabilityIT {

    private static final String PROJECTION = "it-ops";

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ItArchives.war("eventstore-ops-it.war")
                .addClasses(OpsProjection.class, OpsRows.class, OpsSchema.class, OpsResumeServlet.class,
                        ItSchema.class)
                .addAsResource(new StringAsset("""
                        eventstore.async.max-failures=1
                        eventstore.async.backoff-initial=50ms
                        eventstore.async.backoff-max=100ms
                        """), "META-INF/microprofile-config.properties");
    }

    @Test
    void aProjectionOnlyDeploymentHandlesWhatAnotherNodeAppendsWithinMillisecondsOfTheCommit() throws Exception {
        UUID first = OpsClient.append("Ops", "Opened");
        await(() -> OpsClient.handled(PROJECTION, first), "the projection handles the first event");

        for (int i = 0; i < 20; i++) {
            UUID id = OpsClient.append("Ops", "Measured");
            await(() -> OpsClient.handled(PROJECTION, id), "the projection handles event " + id);
        }

        // From the append's timestamp to the handler's clock, on the server: polling (once a second) would give
        // about 500 ms; a notification a few milliseconds.
        try (Connection connection = OpsClient.connect(); PreparedStatement median = connection.prepareStatement(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM handled_at - created_at)"
                        + " * 1000) FROM ops_rows WHERE projection = ? AND event_type = 'Measured'")) {
            median.setString(1, PROJECTION);
            try (ResultSet row = median.executeQuery()) {
                row.next();
                double millis = row.getDouble(1);
                System.out.println("OperabilityIT: median from append to handled: " + millis + " ms");
                assertTrue(millis < 100, "median from append to handled is " + millis + " ms; polling, not listening?");
            }
        }
    }

    @Test
    void readinessGoesDownWhenTheProjectionParksAndUpAgainAfterAResume() throws Exception {
        UUID opened = OpsClient.append("Ops", "Opened");
        await(() -> OpsClient.handled(PROJECTION, opened), "the projection handles the first event");
        OpsClient.awaitReadiness("UP");

        OpsClient.refusePoison(PROJECTION, true);
        UUID poison = OpsClient.append("Ops", "Poison");
        OpsClient.awaitReadiness("DOWN");
        JsonObject down = OpsClient.storeReadiness().orElseThrow();
        String reasons = down.getJsonObject("data").getString("reasons");
        assertTrue(reasons.contains("projection it-ops is parked"), reasons);
        assertTrue(reasons.contains("poison refused on purpose"), reasons);
        assertEquals("PARKED", down.getJsonObject("data").getString(PROJECTION + ".state"));

        OpsClient.refusePoison(PROJECTION, false);
        HttpResponse<String> resumed = OpsClient.HTTP.send(HttpRequest.newBuilder(URI.create(base + "ops/resume?name="
                + PROJECTION)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, resumed.statusCode(), resumed.body());
        await(() -> OpsClient.handled(PROJECTION, poison), "the resumed projection handles the poison event");
        OpsClient.awaitReadiness("UP");
    }
}

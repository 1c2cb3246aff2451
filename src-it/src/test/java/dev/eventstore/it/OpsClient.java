package dev.eventstore.it;

import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The test JVM as another node and as an operator: it appends to the container tests' database with the plain-Java
 * store, reads the read models with JDBC and asks the server's health endpoint.
 */
final class OpsClient {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private OpsClient() {
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(System.getProperty("it.jdbc.url"), "postgres", "postgres");
    }

    /** Appends one event in its own transaction, as another node would; returns its id. */
    static UUID append(String aggregateType, String eventType) throws SQLException {
        try (Connection connection = connect()) {
            // made on the open connection: its created-at is as close to the commit as the client can get
            Event event = Event.builder(aggregateType, UUID.randomUUID().toString(), eventType).build();
            PostgresEventStore.create(StoreConfig.defaults().withNotifyChannel("eventstore_it")).on(connection)
                    .append(ExpectedVersion.noStream(), List.of(event));
            return event.eventId();
        }
    }

    static boolean handled(String projection, UUID eventId) {
        return count("SELECT count(*) FROM ops_rows WHERE projection = ? AND event_id = '" + eventId + "'",
                projection) == 1;
    }

    static long count(String sql, String projection) {
        try (Connection connection = connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, projection);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            return -1; // the tables may not exist yet while the deployment starts
        }
    }

    static void refusePoison(String projection, boolean refuse) throws SQLException {
        try (Connection connection = connect(); PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO ops_switch (name, refuse) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET refuse = ?")) {
            upsert.setString(1, projection);
            upsert.setBoolean(2, refuse);
            upsert.setBoolean(3, refuse);
            upsert.executeUpdate();
        }
    }

    /** The server's readiness endpoint: the management port on WildFly, the HTTP port on Payara. */
    static URI readinessUri() {
        return "payara".equals(System.getProperty("arquillian.launch"))
                ? URI.create("http://localhost:8080/health/ready")
                : URI.create("http://localhost:" + System.getProperty("it.management.port") + "/health/ready");
    }

    /** The store's readiness check ("eventstore") from the server's readiness answer, if it is there. */
    static Optional<JsonObject> storeReadiness() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(readinessUri())
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            lastReadiness = response.statusCode() + " " + response.body();
            try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
                for (JsonValue check : reader.readObject().getJsonArray("checks")) {
                    if ("eventstore".equals(check.asJsonObject().getString("name"))) {
                        return Optional.of(check.asJsonObject());
                    }
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            lastReadiness = e.toString();
            return Optional.empty();
        }
    }

    private static volatile String lastReadiness = "never asked";

    /** Waits until the store's readiness check reports {@code status}; on timeout the last answer is in the error. */
    static void awaitReadiness(String status) throws InterruptedException {
        try {
            await(() -> storeReadinessIs(status), "readiness reports the store " + status);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the last answer of " + readinessUri() + " was: "
                    + lastReadiness, e);
        }
    }

    static boolean storeReadinessIs(String status) {
        return storeReadiness().map(check -> status.equals(check.getString("status"))).orElse(false);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, () -> what);
    }

    /** As {@link #await(BooleanSupplier, String)}, describing the state at the timeout. */
    static void await(BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting until " + what.get());
    }
}

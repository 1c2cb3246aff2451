package com.example.shipping;

import dev.eventstore.AggregateStream;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.mapping.EventMapper;
import dev.eventstore.migration.MigrationGenerator;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Appends and reads through the generated mapper against the real PostgreSQL, in a schema of its own. */
class ShipmentsTest {

    private static final String URL = env("EVENTSTORE_TEST_JDBC_URL", "jdbc:postgresql://localhost:5432/postgres");
    private static final String USER = env("EVENTSTORE_TEST_JDBC_USER", "postgres");
    private static final String PASSWORD = env("EVENTSTORE_TEST_JDBC_PASSWORD", "");

    private final String schema = "consumer_check_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private Connection connection;

    @BeforeAll
    static void sayWhichJdk() {
        System.out.printf("Consumer check: compiled for release %s and run on JDK %s (%s)%n",
                System.getProperty("consumer.release", "?"), Runtime.version(), System.getProperty("java.home"));
    }

    @BeforeEach
    void freshSchema() throws SQLException {
        try (Connection admin = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        connection = DriverManager.getConnection(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                USER, PASSWORD);
        try (Statement statement = connection.createStatement()) {
            statement.execute(MigrationGenerator.schemaSql(StoreConfig.defaults()));
        }
        connection.setAutoCommit(false);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        connection.close();
        try (Connection admin = DriverManager.getConnection(URL, USER, PASSWORD);
             Statement statement = admin.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void eventsAppendedThroughTheGeneratedMapperReadBackAsTheSameRecords() throws SQLException {
        Shipments shipments = new Shipments(PostgresEventStore.create(StoreConfig.defaults()).on(connection));
        ShipmentDispatched dispatched = new ShipmentDispatched("DHL", List.of("parcel-1", "parcel-2"),
                Instant.parse("2026-11-25T10:15:30.123456Z"));
        ShipmentDelivered delivered = new ShipmentDelivered("alice", Instant.parse("2026-11-26T08:00:00Z"));

        shipments.record("shipment-1", ExpectedVersion.noStream(), List.of(dispatched));
        shipments.record("shipment-1", ExpectedVersion.exact(1), List.of(delivered));
        connection.commit();

        assertEquals(List.of(dispatched, delivered), shipments.history("shipment-1"));
        AggregateStream stored = PostgresEventStore.create(StoreConfig.defaults()).on(connection)
                .readAggregateStream("Shipment", "shipment-1");
        assertEquals(List.of("ShipmentDispatched v1", "ShipmentDelivered v2"),
                stored.events().stream().map(e -> e.eventType() + " v" + e.eventVersion()).toList());
    }

    @Test
    void theGeneratedMapperIsListedForServiceLoader() {
        assertTrue(ServiceLoader.load(EventMapper.class).stream()
                        .anyMatch(provider -> provider.type() == ShipmentEventMapper.class),
                "META-INF/services/dev.eventstore.mapping.EventMapper must name ShipmentEventMapper");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

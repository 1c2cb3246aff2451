package dev.eventstore.docs;

import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.mapping.MappingOption;
import dev.eventstore.mapping.order.OrderEventMapper;
import dev.eventstore.mapping.order.events.OrderShipped;
import dev.eventstore.mapping.order.events.v2.OrderLine;
import dev.eventstore.mapping.order.events.v2.OrderPlaced;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapper example of docs/typed-events.md, with the tests' Order family, against PostgreSQL. */
class TypedEventsDocTest {

    private static TestSchema schema;

    @BeforeAll
    static void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    @Test
    void theMapperExampleAppendsDomainEventsWithOptionsAndReadsThemBack() throws SQLException {
        try (Connection connection = schema.begin()) {
            EventStore store = PostgresEventStore.create(StoreConfig.defaults()).on(connection);
            String orderId = "order-" + UUID.randomUUID();
            String requestId = "request-" + UUID.randomUUID();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            OrderPlaced placed = new OrderPlaced("c-1", List.of(new OrderLine("BOOK", 2, 2500)), "EUR", now);
            OrderShipped shipped = new OrderShipped("UPS", List.of("p-1"), now,
                    new OrderShipped.Address("Main St 1", "Utrecht", "NL"));

            // doc: mapper begins
            OrderEventMapper events = new OrderEventMapper();    // thread-safe: create once, share
            store.append(ExpectedVersion.noStream(), events.toEvents(orderId, List.of(placed, shipped),
                    MappingOption.correlationId(requestId), MappingOption.metadata("{\"user\":\"alice\"}")));

            List<Object> history = events.fromEvents(store.readAggregateStream(OrderEventMapper.AGGREGATE_TYPE, orderId));
            // doc: mapper ends

            assertThat(history).containsExactly(placed, shipped);
            List<PersistedEvent> stored = store.readAggregateStream("Order", orderId).events();
            assertThat(stored).extracting(PersistedEvent::eventType).containsExactly("OrderPlaced", "OrderShipped");
            assertThat(stored).allSatisfy(event -> {
                assertThat(event.correlationId()).isEqualTo(requestId);
                assertThat(event.metadataAsString()).contains("alice");
            });
        }
    }
}

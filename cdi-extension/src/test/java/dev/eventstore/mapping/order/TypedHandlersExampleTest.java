package dev.eventstore.mapping.order;

import dev.eventstore.EventStore;
import dev.eventstore.PersistedEvent;
import dev.eventstore.mapping.order.events.OrderShipped;
import dev.eventstore.mapping.order.events.v1.OrderPlaced;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import jakarta.transaction.UserTransaction;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.eventstore.ExpectedVersion.noStream;
import static org.assertj.core.api.Assertions.assertThat;

/** The documented typed handlers deploy (the extension validates them) and take part in an append. */
class TypedHandlersExampleTest {

    private static final OrderEventMapper MAPPER = new OrderEventMapper();

    private static TestSchema schema;
    private static AgroalDataSource dataSource;
    private static WeldContainer container;

    @BeforeAll
    static void boot() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        dataSource = JtaEnvironment.dataSource(schema, 4);
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults(),
                TypedHandlersExample.OrderOverviewProjection.class, TypedHandlersExample.ShippingMails.class);
    }

    @AfterAll
    static void shutDown() throws SQLException {
        container.close();
        dataSource.close();
        schema.close();
    }

    @Test
    void theDocumentedHandlersDeployAndAnOldAndANewEventCommitThroughThem() throws Exception {
        // given the deployed example
        String orderId = "order-" + UUID.randomUUID();
        EventStore store = container.select(EventStore.class).get();
        UserTransaction transaction = JtaEnvironment.userTransaction();

        // when a version 1 OrderPlaced and an OrderShipped are appended
        transaction.begin();
        store.append(noStream(), MAPPER.toEvents(orderId, List.of(
                new OrderPlaced("c-1", "BOOK", 1, 1250, Instant.now()),
                new OrderShipped("UPS", List.of("p-1"), Instant.now(),
                        new OrderShipped.Address("Main St 1", "Utrecht", "NL")))));
        transaction.commit();

        // then both are stored: the typed handlers and the after-success observer took them without error
        transaction.begin();
        try {
            assertThat(store.readAggregateStream("Order", orderId).events()).extracting(PersistedEvent::eventType)
                    .containsExactly("OrderPlaced", "OrderShipped");
        } finally {
            transaction.rollback();
        }
        assertThat(container.select(TypedHandlersExample.OrderOverviewProjection.class).isResolvable()).isTrue();
    }
}

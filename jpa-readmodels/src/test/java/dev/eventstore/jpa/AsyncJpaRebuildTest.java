package dev.eventstore.jpa;

import dev.eventstore.async.AsyncProjections;
import dev.eventstore.jpa.order.CustomerOrders;
import dev.eventstore.jpa.order.CustomerOrdersProjection;
import dev.eventstore.jpa.order.OrderCommands;
import dev.eventstore.jpa.order.OrderEvents.OrderLineAdded;
import dev.eventstore.jpa.order.OrderOverview;
import dev.eventstore.jpa.order.OrderOverviewProjection;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static dev.eventstore.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An asynchronous JPA read model rebuilt in Weld SE with Narayana and Hibernate: the bean's {@code @ProjectionReset}
 * clears it through the transaction-scoped EntityManager, which joins the rebuild's JTA transaction.
 */
class AsyncJpaRebuildTest {

    private static TestSchema schema;
    private static AgroalDataSource dataSource;
    private static JpaResources jpa;
    private static WeldContainer container;

    @BeforeAll
    static void boot() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        dataSource = JtaEnvironment.dataSource(schema, 8);
        jpa = new JpaResources(dataSource, OrderOverview.class, CustomerOrders.class);
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults(), List.of(jpa),
                OrderOverviewProjection.class, CustomerOrdersProjection.class, OrderCommands.class);
    }

    @AfterAll
    static void shutDown() throws SQLException {
        container.close();
        jpa.factory().close();
        dataSource.close();
        schema.close();
    }

    @Test
    void aRebuildClearsTheJpaReadModelThroughTheEntityManagerAndCountsEveryOrderOnce() throws Exception {
        // given counted orders of two customers
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        OrderCommands commands = container.select(OrderCommands.class).get();
        for (String customer : List.of(alice, alice, alice, bob, bob)) {
            commands.placeOrder(UUID.randomUUID().toString(), customer, "EUR",
                    List.of(new OrderLineAdded("BOOK", 1, 1250)), false);
        }
        AsyncProjections projections = container.select(AsyncProjections.class).get();
        awaitCaughtUp(projections);
        assertThat(orders(alice)).isEqualTo(3);
        assertThat(orders(bob)).isEqualTo(2);

        // when the projection is rebuilt
        projections.rebuild("customer-orders-v1");
        awaitCaughtUp(projections);

        // then every order is counted once, not on top of the old counts
        assertThat(orders(alice)).isEqualTo(3);
        assertThat(orders(bob)).isEqualTo(2);
    }

    private static void awaitCaughtUp(AsyncProjections projections) throws InterruptedException {
        await(() -> projections.status("customer-orders-v1").caughtUp(),
                () -> "customer-orders-v1 catches up: " + projections.status("customer-orders-v1"));
    }

    private static int orders(String customer) throws SQLException {
        try (Connection connection = schema.connect(); PreparedStatement query = connection.prepareStatement(
                "SELECT orders FROM customer_orders_v1 WHERE customer = ?")) {
            query.setString(1, customer);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getInt(1) : 0;
            }
        }
    }
}

package dev.eventstore.jpa;

import dev.eventstore.EventStore;
import dev.eventstore.jpa.order.OrderCommands;
import dev.eventstore.jpa.order.OrderEvents.OrderLineAdded;
import dev.eventstore.jpa.order.OrderOverviewProjection;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import jakarta.persistence.EntityManager;
import jakarta.transaction.UserTransaction;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** The rebuild example of docs/jakarta-ee.md, in Weld SE with Narayana and Hibernate on PostgreSQL. */
class ProjectionRebuildDocTest {

    private static TestSchema schema;
    private static AgroalDataSource dataSource;
    private static JpaResources jpa;
    private static WeldContainer container;

    @BeforeAll
    static void boot() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        dataSource = JtaEnvironment.dataSource(schema, 4);
        jpa = new JpaResources(dataSource);
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults(), List.of(jpa),
                OrderOverviewProjection.class, OrderCommands.class);
    }

    @AfterAll
    static void shutDown() throws SQLException {
        container.close();
        jpa.factory().close();
        dataSource.close();
        schema.close();
    }

    @Test
    void theRebuildExampleRecreatesTheReadModelFromTheLog() throws Exception {
        // given two orders maintained inline, and a read model row lost since
        String kept = UUID.randomUUID().toString();
        String lost = UUID.randomUUID().toString();
        OrderCommands commands = container.select(OrderCommands.class).get();
        commands.placeOrder(kept, "alice", "EUR", List.of(new OrderLineAdded("BOOK", 2, 1250)), true);
        commands.placeOrder(lost, "bob", "EUR", List.of(new OrderLineAdded("PEN", 1, 300)), false);
        execute("DELETE FROM order_overview_v1 WHERE order_id = '" + lost + "'");
        EventStore eventStore = container.select(EventStore.class).get();
        UserTransaction userTransaction = JtaEnvironment.userTransaction();
        EntityManager entityManager = container.select(EntityManager.class).get();
        OrderOverviewProjection projection = container.select(OrderOverviewProjection.class).get();
        Logger log = Logger.getLogger(ProjectionRebuildDocTest.class.getName());

        // when the documented rebuild runs
        // doc: rebuild begins
        ProjectionRebuild.builder("order-overview-v1", eventStore, userTransaction)
                .reset(() -> entityManager.createQuery("DELETE FROM OrderOverview").executeUpdate())
                .handler(projection::on)
                .aggregateTypes("Order")
                .batchSize(500)
                .onProgress(p -> log.info(p.eventsApplied() + " events, at position " + p.lastPosition()))
                .build()
                .run();                                     // Report: events applied/read, batches, duration
        // doc: rebuild ends

        // then both rows are back, as the events say
        assertThat(schema.queryLong("SELECT total_cents FROM order_overview_v1 WHERE order_id = '" + kept
                + "' AND status = 'CONFIRMED'")).isEqualTo(2500);
        assertThat(schema.queryLong("SELECT total_cents FROM order_overview_v1 WHERE order_id = '" + lost
                + "' AND status = 'OPEN'")).isEqualTo(300);
    }

    private static void execute(String sql) throws SQLException {
        try (var connection = schema.connect(); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

package dev.eventstore.docs;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.Await;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CDI code of docs/jakarta-ee.md ({@link OrderService}, {@link CdiEventObservers}, {@link OrderSearchProjection})
 * in Weld SE with Narayana.
 */
class JakartaEeDocTest {

    private static TestSchema schema;
    private static AgroalDataSource dataSource;
    private static WeldContainer container;

    @BeforeAll
    static void boot() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        dataSource = JtaEnvironment.dataSource(schema, 4);
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults(), OrderService.class,
                CdiEventObservers.class, OrderSearchProjection.class, SearchIndex.class);
    }

    @AfterAll
    static void shutDown() throws SQLException {
        container.close();
        dataSource.close();
        schema.close();
    }

    @Test
    void theOrderServiceAppendsTheConfirmationAtTheStreamsVersionWithTheObserversDeployed() throws Exception {
        // given a placed order
        String orderId = UUID.randomUUID().toString();
        EventStore store = container.select(EventStore.class).get();
        UserTransaction transaction = JtaEnvironment.userTransaction();
        transaction.begin();
        store.append(ExpectedVersion.noStream(), Event.builder("Order", orderId, "OrderPlaced").build());
        transaction.commit();

        // when the service confirms it in a transaction
        transaction.begin();
        container.select(OrderService.class).get().confirm(orderId);
        store.append(ExpectedVersion.noStream(),
                Event.builder("Invoice", UUID.randomUUID().toString(), "InvoiceSent").build());
        transaction.commit();

        // then the confirmation is version 2
        transaction.begin();
        try {
            assertThat(store.readAggregateStream("Order", orderId).events()).extracting(PersistedEvent::eventType)
                    .containsExactly("OrderPlaced", "OrderConfirmed");
        } finally {
            transaction.rollback();
        }
        // and the segmented search projection, four segments on this one node, indexes both
        AsyncProjections projections = container.select(AsyncProjections.class).get();
        assertThat(projections.segments("order-search")).isEqualTo(4);
        SearchIndex index = container.select(SearchIndex.class).get();
        Await.await(() -> index.size() == 2 && projections.status("order-search").caughtUp(),
                () -> "both Order events indexed, saw " + index.size());
        assertThat(projections.status("order-search").segments()).hasSize(4);
    }
}

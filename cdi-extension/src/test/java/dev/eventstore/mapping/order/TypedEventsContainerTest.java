package dev.eventstore.mapping.order;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ProjectionFailedException;
import dev.eventstore.mapping.EventMappingException;
import dev.eventstore.mapping.order.events.OrderCancelled;
import dev.eventstore.mapping.order.events.OrderShipped;
import dev.eventstore.mapping.order.events.v2.OrderLine;
import dev.eventstore.mapping.order.events.v2.OrderPlaced;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.eventstore.ExpectedVersion.noStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Typed events in Weld SE with Narayana on PostgreSQL: projection handlers and CDI observers that take the Order
 * example's records, decoded by the generated mapper inside the appending JTA transaction.
 */
class TypedEventsContainerTest {

    private static final OrderEventMapper MAPPER = new OrderEventMapper();
    private static final Instant AT = Instant.parse("2026-11-25T12:00:00Z");

    private static TestSchema schema;
    private static AgroalDataSource dataSource;
    private static WeldContainer container;

    private final UserTransaction transaction = JtaEnvironment.userTransaction();
    private EventStore store;
    private TypedBeans.Seen seen;

    @BeforeAll
    static void boot() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        dataSource = JtaEnvironment.dataSource(schema, 4);
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults(), TypedBeans.Seen.class,
                TypedBeans.TypedOrderProjection.class, TypedBeans.CancellationProjection.class,
                TypedBeans.TypedObservers.class);
    }

    @AfterAll
    static void shutDown() throws SQLException {
        container.close();
        dataSource.close();
        schema.close();
    }

    @BeforeEach
    void resolve() {
        store = container.select(EventStore.class).get();
        seen = container.select(TypedBeans.Seen.class).get();
        seen.clear();
    }

    @AfterEach
    void noTransactionLeftBehind() throws Exception {
        if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
            transaction.rollback();
        }
    }

    @Test
    void handlersReceiveDecodedAndUpcastEventsInOrderInsideTheTransaction() throws Exception {
        String orderId = "order-" + UUID.randomUUID();
        var old = new dev.eventstore.mapping.order.events.v1.OrderPlaced("alice", "lamp", 2, 5_000, AT);

        transaction.begin();
        store.append(noStream(), List.of(MAPPER.toOrderPlacedV1(orderId, old),
                MAPPER.toEvents(orderId, List.of(shipped("DHL"))).get(0)));
        assertThat(seen.startingWith("after success")).isEmpty();
        transaction.commit();

        assertThat(seen.startingWith("inline")).containsExactly(
                "inline: placed alice 5000 EUR at version 1 (stored v1)",
                "inline: any Order OrderPlaced",
                "inline: shipped by DHL to Berlin",
                "inline: any Order OrderShipped");
        assertThat(seen.startingWith("observer")).containsExactly("observer: placed alice");
        assertThat(seen.startingWith("after success")).containsExactly("after success: shipped by DHL");
        assertThat(seen.startingWith("invoice observer")).isEmpty();
    }

    @Test
    void afterSuccessObserversOfTypedEventsStaySilentOnRollback() throws Exception {
        String orderId = "order-" + UUID.randomUUID();

        transaction.begin();
        store.append(noStream(), MAPPER.toEvents(orderId, List.of(placed("bob"), shipped("UPS"))));
        transaction.rollback();

        assertThat(seen.startingWith("observer")).containsExactly("observer: placed bob");
        assertThat(seen.startingWith("after success")).isEmpty();
        assertThat(count(orderId)).isZero();
    }

    @Test
    void typedHandlersAndObserversOnlyGetTheirFamilysAggregateType() throws Exception {
        String invoiceId = "invoice-" + UUID.randomUUID();

        transaction.begin();
        store.append(noStream(), MAPPER.toEvents("Invoice", invoiceId, List.of(placed("carol"))));
        transaction.commit();

        assertThat(seen.startingWith("inline")).containsExactly("inline: any Invoice OrderPlaced");
        assertThat(seen.startingWith("observer")).isEmpty();
        assertThat(seen.startingWith("invoice observer")).isEmpty();
    }

    @Test
    void aPayloadThatDoesNotMatchItsClassRollsTheAppendBack() throws Exception {
        String orderId = "order-" + UUID.randomUUID();
        Event broken = Event.builder("Order", orderId, "OrderShipped").jsonPayload("{\"carrier\":42}").build();

        transaction.begin();
        assertThatThrownBy(() -> store.append(noStream(), List.of(broken)))
                .isInstanceOf(ProjectionFailedException.class)
                .hasMessageContaining("typed-orders")
                .hasRootCauseInstanceOf(jakarta.json.bind.JsonbException.class)
                .satisfies(e -> assertThat(e.getCause()).isInstanceOf(EventMappingException.class)
                        .hasMessageStartingWith("payload of event OrderShipped version 1 of Order " + orderId));
        assertThat(transaction.getStatus()).isEqualTo(Status.STATUS_MARKED_ROLLBACK);
        transaction.rollback();

        assertThat(count(orderId)).isZero();
    }

    @Test
    void asynchronousProjectionsGetTypedEventsToo() throws Exception {
        String orderId = "order-" + UUID.randomUUID();

        transaction.begin();
        store.append(noStream(), MAPPER.toEvents(orderId, List.of(placed("dave"),
                new OrderCancelled("changed mind", 1_000))));
        transaction.commit();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (seen.startingWith("async").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(seen.startingWith("async")).containsExactly("async: cancelled " + orderId + " changed mind");
    }

    private static long count(String aggregateId) throws SQLException {
        return schema.queryLong("SELECT count(*) FROM events WHERE aggregate_id = '" + aggregateId + "'");
    }

    private static OrderPlaced placed(String customer) {
        return new OrderPlaced(customer, List.of(new OrderLine("book", 1, 1_000)), "EUR", AT);
    }

    private static OrderShipped shipped(String carrier) {
        return new OrderShipped(carrier, List.of("p-1"), AT, new OrderShipped.Address("Main St 1", "Berlin", "DE"));
    }
}

package dev.eventstore.mapping.order;

import dev.eventstore.AggregateStream;
import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.PersistedEvent;
import dev.eventstore.mapping.EventMapper;
import dev.eventstore.mapping.EventMappingException;
import dev.eventstore.mapping.MappingOption;
import dev.eventstore.mapping.order.events.OrderCancelled;
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
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;

import static dev.eventstore.ExpectedVersion.exact;
import static dev.eventstore.ExpectedVersion.noStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Order example end to end: domain records to stored rows in PostgreSQL and back, through the generated mapper. */
class OrderEventMapperTest {

    private static final OrderEventMapper MAPPER = new OrderEventMapper();
    private static final Instant PLACED_AT = Instant.parse("2026-11-25T10:15:30.123456Z");

    private static TestSchema schema;
    private static Connection connection;
    private static EventStore store;

    @BeforeAll
    static void connect() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        connection = schema.connect();
        store = PostgresEventStore.create(StoreConfig.defaults()).on(connection);
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
        schema.close();
    }

    @Test
    void everyFieldTypeRoundTripsThroughPostgres() {
        String orderId = newOrderId();
        OrderPlaced placed = new OrderPlaced("customer-7",
                List.of(new OrderLine("book", 2, 3_000), new OrderLine("pen", 10, 1_250)), "EUR", PLACED_AT);
        OrderShipped shipped = new OrderShipped("DHL", List.of("parcel-1", "parcel-2"),
                PLACED_AT.plusSeconds(86_400), new OrderShipped.Address("Main St 1", "Berlin", "DE"));
        OrderCancelled cancelled = new OrderCancelled("customer changed mind", Long.MAX_VALUE);
        List<Object> domainEvents = List.of(placed, shipped, cancelled);

        store.append(noStream(), MAPPER.toEvents(orderId, domainEvents));
        AggregateStream stream = store.readAggregateStream("Order", orderId);

        assertThat(stream.events()).extracting(e -> e.eventType() + " v" + e.eventVersion())
                .containsExactly("OrderPlaced v2", "OrderShipped v1", "OrderCanceled v3");
        assertThat(MAPPER.fromEvents(stream)).containsExactlyElementsOf(domainEvents);
        assertThat(stream.events().get(0).payloadAsString())
                .contains("\"customerId\":\"customer-7\"", "\"placedAt\":\"2026-11-25T10:15:30.123456Z\"",
                        "\"amountCents\":3000");
    }

    @Test
    void optionsApplyToEveryEventOfTheCall() {
        String orderId = newOrderId();
        Instant createdAt = Instant.parse("2026-01-02T03:04:05Z");

        store.append(noStream(), MAPPER.toEvents(orderId, List.of(placed("c-1"), cancelled()),
                MappingOption.traceId("trace-1"), MappingOption.correlationId("corr-1"),
                MappingOption.causationId("cause-1"), MappingOption.metadata("{\"user\":\"alice\"}"),
                MappingOption.createdAt(createdAt)));

        assertThat(store.readAggregateStream("Order", orderId).events()).hasSize(2).allSatisfy(event -> {
            assertThat(event.traceId()).isEqualTo("trace-1");
            assertThat(event.correlationId()).isEqualTo("corr-1");
            assertThat(event.causationId()).isEqualTo("cause-1");
            assertThat(event.metadataAsString()).contains("\"user\"", "\"alice\"");
            assertThat(event.createdAt()).isEqualTo(createdAt);
        });
    }

    @Test
    void typeNamesAndVersionsComeFromClassNamesPackagesAndOverrides() {
        var v1 = new dev.eventstore.mapping.order.events.v1.OrderPlaced("c", "book", 1, 100, PLACED_AT);

        assertThat(MAPPER.eventTypeOf(v1)).isEqualTo("OrderPlaced");
        assertThat(MAPPER.eventVersionOf(v1)).isEqualTo(1);
        assertThat(MAPPER.eventVersionOf(placed("c"))).isEqualTo(2);
        assertThat(MAPPER.eventTypeOf(cancelled())).isEqualTo("OrderCanceled");
        assertThat(MAPPER.eventVersionOf(cancelled())).isEqualTo(3);
        assertThat(MAPPER.aggregateType()).isEqualTo("Order");
        assertThat(MAPPER.decodedClassOf("OrderPlaced", 1)).contains(OrderPlaced.class);
        assertThat(MAPPER.decodedClassOf("OrderCanceled", 3)).contains(OrderCancelled.class);
        assertThat(MAPPER.decodedClassOf("OrderCancelled", 3)).isEmpty();
        assertThat(MAPPER.decodedClassOf("OrderPlaced", 3)).isEmpty();
    }

    @Test
    void oldVersionOneEventsAreReadAsVersionTwoWhileNewOnesAreWrittenAsVersionTwo() {
        String orderId = newOrderId();
        var old = new dev.eventstore.mapping.order.events.v1.OrderPlaced("customer-1", "lamp", 3, 4_500, PLACED_AT);
        store.append(noStream(), List.of(MAPPER.toOrderPlacedV1(orderId, old)));
        OrderPlaced current = placed("customer-1");
        store.append(exact(1), MAPPER.toEvents(orderId, List.of(current)));

        List<PersistedEvent> stored = store.readAggregateStream("Order", orderId).events();

        assertThat(stored).extracting(PersistedEvent::eventVersion).containsExactly(1, 2);
        assertThat(MAPPER.fromEvents(stored)).containsExactly(
                new OrderPlaced("customer-1", List.of(new OrderLine("lamp", 3, 4_500)), "EUR", PLACED_AT),
                current);
        assertThat(MAPPER.fromOrderPlacedV1(stored.get(0))).isEqualTo(old);
    }

    @Test
    void anUnknownTypeOrVersionFailsNamingTypeVersionAndAggregate() {
        PersistedEvent unknownType = persisted(Event.builder("Order", "o-1", "OrderRefunded").build());
        PersistedEvent unknownVersion = persisted(Event.builder("Order", "o-1", "OrderPlaced").eventVersion(9)
                .build());

        assertThatThrownBy(() -> MAPPER.fromEvent(unknownType))
                .isInstanceOf(EventMappingException.class)
                .hasMessage("no event class for event OrderRefunded version 1 of Order o-1 (aggregate version 4,"
                        + " global position 42); OrderEventMapper knows OrderPlaced v1, OrderPlaced v2,"
                        + " OrderShipped v1, OrderCanceled v3. Add the class to the @EventFamily of"
                        + " dev.eventstore.mapping.order.OrderEvents");
        assertThatThrownBy(() -> MAPPER.fromEvent(unknownVersion))
                .isInstanceOf(EventMappingException.class)
                .hasMessageStartingWith("no event class for event OrderPlaced version 9 of Order o-1");
    }

    @Test
    void aPayloadThatDoesNotMatchItsClassFailsNamingTypeVersionAndAggregate() {
        PersistedEvent wrongType = persisted(Event.builder("Order", "o-2", "OrderCanceled").eventVersion(3)
                .jsonPayload("{\"reason\":\"x\",\"refundCents\":\"lots\"}").build());
        PersistedEvent missingField = persisted(Event.builder("Order", "o-3", "OrderCanceled").eventVersion(3)
                .jsonPayload("{\"reason\":\"x\"}").build());
        PersistedEvent notJson = persisted(Event.builder("Order", "o-4", "OrderCanceled").eventVersion(3)
                .jsonPayload("refund!").build());

        for (PersistedEvent event : List.of(wrongType, missingField, notJson)) {
            assertThatThrownBy(() -> MAPPER.fromEvent(event))
                    .isInstanceOf(EventMappingException.class)
                    .hasMessageStartingWith("payload of event OrderCanceled version 3 of Order " + event.aggregateId()
                            + " (aggregate version 4, global position 42) does not match "
                            + OrderCancelled.class.getName());
        }
    }

    @Test
    void readingAStoredEventWithTheWrongTypedHelperFails() {
        PersistedEvent shipped = persisted(MAPPER.toEvents("o-5", List.of(new OrderShipped("UPS", List.of(),
                PLACED_AT, new OrderShipped.Address("a", "b", "c")))).get(0));

        assertThatThrownBy(() -> MAPPER.fromOrderPlacedV2(shipped))
                .isInstanceOf(EventMappingException.class)
                .hasMessage("cannot read event OrderShipped version 1 of Order o-5 (aggregate version 4, global"
                        + " position 42) as " + OrderPlaced.class.getName() + ", which is OrderPlaced version 2");
    }

    @Test
    void aDomainEventOutsideTheFamilyOrANullOneIsRejectedBeforeAnythingIsWritten() {
        String orderId = newOrderId();

        assertThatThrownBy(() -> MAPPER.toEvents(orderId, List.of(placed("c"), "not an event")))
                .isInstanceOf(EventMappingException.class)
                .hasMessage("java.lang.String is not an event of Order; OrderEventMapper maps OrderPlaced v1,"
                        + " OrderPlaced v2, OrderShipped v1, OrderCanceled v3. Add it to the @EventFamily of"
                        + " dev.eventstore.mapping.order.OrderEvents");
        assertThatThrownBy(() -> MAPPER.toEvents(orderId, java.util.Arrays.asList(placed("c"), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("domainEvents[1] is null");
        assertThatThrownBy(() -> MAPPER.toEvents(orderId, List.of(placed("c")), MappingOption.metadata("[1]")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metadata must be a JSON object");
        assertThat(store.readAggregateStream("Order", orderId).isEmpty()).isTrue();
    }

    @Test
    void anExplicitAggregateTypeOverridesTheFamilyDefault() {
        List<Event> events = MAPPER.toEvents("LegacyOrder", "o-6", List.of(cancelled()));

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.aggregateType()).isEqualTo("LegacyOrder");
            assertThat(event.aggregateId()).isEqualTo("o-6");
        });
    }

    @Test
    void theGeneratedMapperIsListedForServiceLoader() {
        assertThat(ServiceLoader.load(EventMapper.class).stream().map(ServiceLoader.Provider::type))
                .contains(OrderEventMapper.class);
    }

    @Test
    void blankOptionsAreRejectedWithTheFieldName() {
        assertThatThrownBy(() -> MappingOption.traceId(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("traceId must not be blank; leave the option out when there is none");
        assertThatThrownBy(() -> MappingOption.createdAt(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("createdAt must not be null");
    }

    private static OrderPlaced placed(String customer) {
        return new OrderPlaced(customer, List.of(new OrderLine("book", 1, 1_000)), "EUR", PLACED_AT);
    }

    private static OrderCancelled cancelled() {
        return new OrderCancelled("out of stock", 1_000);
    }

    private static PersistedEvent persisted(Event event) {
        return new PersistedEvent(event, 4, 42);
    }

    private static String newOrderId() {
        return "order-" + UUID.randomUUID();
    }
}

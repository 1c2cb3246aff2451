package dev.eventstore.console;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.console.EventViews.EventDetail;
import dev.eventstore.console.EventViews.EventPage;
import dev.eventstore.console.EventViews.EventSummary;
import dev.eventstore.postgres.PostgresEventStore;
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

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The console's reads in Weld SE with Narayana against PostgreSQL: each runs in a JTA transaction of its own through
 * the injected store. The data: an order with four events in one correlation, a payment caused by one of them, and
 * a binary event, all created in known minutes.
 */
class ConsoleReadsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:30:20Z");
    private static TestSchema schema;
    private static AgroalDataSource dataSource;
    private static WeldContainer container;
    private static ConsoleReads reads;
    private static final String ORDER = "o-" + UUID.randomUUID();
    private static final List<Event> WRITTEN = new ArrayList<>();

    @BeforeAll
    static void boot() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        dataSource = JtaEnvironment.dataSource(schema, 4);
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults(), ConsoleReads.class,
                ConsoleBeans.class);
        reads = container.select(ConsoleReads.class).get();
        reads.useClock(Clock.fixed(NOW, ZoneOffset.UTC));
        String[] types = {"order.placed", "order.line.added", "order.line.added", "order.confirmed"};
        for (int i = 0; i < types.length; i++) {
            WRITTEN.add(Event.builder("Order", ORDER, types[i])
                    .jsonPayload("{\"n\":" + i + "}")
                    .metadata(i == 0 ? "{\"tenant\":\"acme\",\"user\":\"ann\"}" : "{\"tenant\":\"acme\"}")
                    .correlationId("checkout-" + ORDER)
                    .createdAt(NOW.minus(3 - i, ChronoUnit.MINUTES)).build());
        }
        Event payment = Event.builder("Payment", "p-" + ORDER, "payment.captured")
                .jsonPayload("{\"cents\":2699}").metadata("{\"tenant\":\"globex\"}")
                .correlationId("checkout-" + ORDER).causationId(WRITTEN.get(3).eventId().toString())
                .createdAt(NOW.minus(90, ChronoUnit.MINUTES)).build();
        Event binary = Event.builder("Blob", "b-" + ORDER, "blob.stored")
                .payload(new byte[] {(byte) 0xca, (byte) 0xfe}).causationId("command-7")
                .createdAt(NOW).build();
        try (Connection connection = schema.connect()) {
            EventStore store = PostgresEventStore.create(StoreConfig.defaults()).on(connection);
            store.append(ExpectedVersion.noStream(), WRITTEN);
            store.append(ExpectedVersion.noStream(), payment);
            store.append(ExpectedVersion.noStream(), binary);
            store.append(ExpectedVersion.noStream(), Event.builder("Order", "other-" + ORDER, "order.placed")
                    .createdAt(NOW.minus(2, ChronoUnit.MINUTES)).build());
        }
        WRITTEN.add(payment);
        WRITTEN.add(binary);
    }

    @AfterAll
    static void shutDown() throws SQLException {
        container.close();
        dataSource.close();
        schema.close();
    }

    private static EventPage search(java.util.function.UnaryOperator<EventSearchTest.Builder> parameters) {
        return reads.search(EventSearch.parse(EventSearchTest.with(parameters)));
    }

    private static long position(int index) {
        return reads.search(EventSearch.parse(EventSearchTest.with(p -> p.eventId(
                WRITTEN.get(index).eventId().toString())))).events().get(0).position();
    }

    @Test
    void aWildcardAndAMetadataFilterFindTheirEventsAndCountThem() {
        EventPage page = search(p -> p.eventType("order.#").metadata("{\"tenant\":\"acme\"}"));

        assertThat(page.events()).extracting(EventSummary::eventType)
                .containsExactly("order.placed", "order.line.added", "order.line.added", "order.confirmed");
        assertThat(page.total()).isEqualTo(4);
        assertThat(page.next()).isNull();
        assertThat(search(p -> p.eventType("order.*").aggregateId(ORDER)).total())
                .as("* is one word: not order.line.added").isEqualTo(2);
        assertThat(search(p -> p.metadata("{\"user\":\"ann\"}").aggregateId(ORDER)).events())
                .extracting(EventSummary::eventType).containsExactly("order.placed");
    }

    @Test
    void keysetPagesWalkTheWholeResultOnceInEitherOrder() {
        EventPage first = search(p -> p.correlationId("checkout-" + ORDER).limit("2"));
        EventPage second = search(p -> p.correlationId("checkout-" + ORDER).limit("2").after(first.next() + ""));
        EventPage third = search(p -> p.correlationId("checkout-" + ORDER).limit("2").after(second.next() + ""));

        assertThat(first.total()).isEqualTo(5);
        assertThat(first.events()).hasSize(2);
        assertThat(second.events()).hasSize(2);
        assertThat(third.events()).hasSize(1);
        assertThat(third.next()).isNull();
        List<Long> ascending = new ArrayList<>();
        List.of(first, second, third).forEach(page -> page.events().forEach(e -> ascending.add(e.position())));
        assertThat(ascending).isSorted().doesNotHaveDuplicates().hasSize(5);

        EventPage newest = search(p -> p.correlationId("checkout-" + ORDER).limit("3").order("desc"));
        EventPage older = search(p -> p.correlationId("checkout-" + ORDER).limit("3").order("desc")
                .after(newest.next() + ""));
        List<Long> descending = new ArrayList<>();
        List.of(newest, older).forEach(page -> page.events().forEach(e -> descending.add(e.position())));
        List<Long> reversed = new ArrayList<>(ascending);
        java.util.Collections.reverse(reversed);
        assertThat(descending).containsExactlyElementsOf(reversed);
    }

    @Test
    void positionAndTimeRangesNarrowTheSearch() {
        long placed = position(0);
        long confirmed = position(3);

        assertThat(search(p -> p.positionFrom(placed + "").positionTo(confirmed + "")).events())
                .extracting(EventSummary::position).containsExactly(placed, placed + 1, placed + 2, confirmed);
        assertThat(search(p -> p.aggregateId(ORDER).createdFrom("2026-03-01T10:28:00Z")
                .createdBefore("2026-03-01T10:29:21Z")).events())
                .extracting(EventSummary::eventType).containsExactly("order.line.added", "order.line.added");
    }

    @Test
    void anEventsDetailShowsPrettyJsonMetadataIdsAndLinks() {
        long confirmed = position(3);

        EventDetail detail = reads.event(confirmed, false).orElseThrow();

        assertThat(detail.eventType()).isEqualTo("order.confirmed");
        assertThat(detail.version()).isEqualTo(4);
        assertThat(detail.eventId()).isEqualTo(WRITTEN.get(3).eventId().toString());
        assertThat(detail.correlationId()).isEqualTo("checkout-" + ORDER);
        assertThat(detail.payload().format()).isEqualTo("json");
        assertThat(detail.payload().text()).contains("\"n\": 3");
        assertThat(detail.metadata()).contains("\"tenant\": \"acme\"");
        assertThat(detail.hidden()).isFalse();
        assertThat(detail.links().correlated()).as("the order's four and the payment").isEqualTo(5);
        assertThat(detail.links().caused()).containsExactly(position(4));
        assertThat(reads.event(position(4), false).orElseThrow().links().causedBy()).isEqualTo(confirmed);
    }

    @Test
    void aBinaryPayloadIsHexAndACausationIdThatIsNoEventLinksNowhere() {
        EventDetail detail = reads.event(position(5), false).orElseThrow();

        assertThat(detail.payload().format()).isEqualTo("hex");
        assertThat(detail.payload().text()).isEqualTo("ca fe");
        assertThat(detail.links().causedBy()).isNull();
        assertThat(detail.links().correlated()).isZero();
    }

    @Test
    void hiddenPayloadsLeaveNeitherPayloadNorMetadata() {
        EventDetail detail = reads.event(position(0), true).orElseThrow();

        assertThat(detail.hidden()).isTrue();
        assertThat(detail.payload()).isNull();
        assertThat(detail.metadata()).isNull();
        assertThat(detail.eventId()).isEqualTo(WRITTEN.get(0).eventId().toString());
    }

    @Test
    void anUnknownPositionIsEmpty() {
        assertThat(reads.event(Long.MAX_VALUE, false)).isEmpty();
    }

    @Test
    void aStreamListsItsEventsInVersionOrder() {
        EventViews.StreamView stream = reads.stream("Order", ORDER);

        assertThat(stream.version()).isEqualTo(4);
        assertThat(stream.events()).extracting(EventSummary::version).containsExactly(1L, 2L, 3L, 4L);
        assertThat(reads.stream("Order", "nobody-" + ORDER).events()).isEmpty();
    }

    @Test
    void theOverviewCountsTheLogTheLastHourByMinuteAndTheLargestStreams() {
        ConsoleReads.Overview overview = reads.overview();

        assertThat(overview.events()).isEqualTo(7);
        assertThat(overview.latestPosition()).isEqualTo(position(5) + 1);
        assertThat(overview.appendsPerMinute()).hasSize(60);
        assertThat(overview.appendsPerMinute().get(59).minute()).isEqualTo(Instant.parse("2026-03-01T10:30:00Z"));
        assertThat(overview.appendsPerMinute().get(59).events()).as("order.confirmed and the binary event, now")
                .isEqualTo(2);
        assertThat(overview.appendsPerMinute().get(58).events()).as("10:29:20, a line").isEqualTo(1);
        assertThat(overview.appendsPerMinute().get(57).events()).as("10:28:20: a line and the other order")
                .isEqualTo(2);
        assertThat(overview.appendsPerMinute().stream().mapToLong(ConsoleReads.MinuteCount::events).sum())
                .as("the payment, 90 minutes ago, is older than the hour").isEqualTo(6);
        assertThat(overview.largestStreams().get(0)).isEqualTo(new LargestStreams.StreamSize("Order", ORDER, 4));
        assertThat(overview.largestStreams()).hasSize(4);
    }

    @Test
    void metadataThatOnlyTheDatabaseRejectsFailsAsABadValueAndTheNextReadWorks() {
        assertThatThrownBy(() -> search(p -> p.metadata("{\"a\":\"\\ud800\"}")))
                .isInstanceOf(RuntimeException.class).hasMessageContaining("metadata");
        assertThat(search(p -> p.aggregateId(ORDER)).total()).isEqualTo(4);
    }

    @Test
    void payloadBytesAreRenderedFromTheStoredEvent() {
        assertThat(reads.event(position(4), false).orElseThrow().payload().text().getBytes(StandardCharsets.UTF_8))
                .isNotEmpty();
    }
}

package dev.eventstore.console;

import dev.eventstore.query.EventQuery;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing and checking the search parameters; the searches themselves run against PostgreSQL in ConsoleReadsTest. */
class EventSearchTest {

    /** A search with every parameter absent but the ones {@code change} sets. */
    static SearchParameters with(UnaryOperator<Builder> change) {
        return change.apply(new Builder()).build();
    }

    static final class Builder {
        String aggregateType, aggregateId, eventType, topic, metadata, createdFrom, createdBefore, positionFrom,
                positionTo, eventId, correlationId, causationId, after, limit, order;

        Builder aggregateType(String v) { aggregateType = v; return this; }
        Builder aggregateId(String v) { aggregateId = v; return this; }
        Builder eventType(String v) { eventType = v; return this; }
        Builder topic(String v) { topic = v; return this; }
        Builder metadata(String v) { metadata = v; return this; }
        Builder createdFrom(String v) { createdFrom = v; return this; }
        Builder createdBefore(String v) { createdBefore = v; return this; }
        Builder positionFrom(String v) { positionFrom = v; return this; }
        Builder positionTo(String v) { positionTo = v; return this; }
        Builder eventId(String v) { eventId = v; return this; }
        Builder correlationId(String v) { correlationId = v; return this; }
        Builder after(String v) { after = v; return this; }
        Builder limit(String v) { limit = v; return this; }
        Builder order(String v) { order = v; return this; }

        SearchParameters build() {
            return new SearchParameters(aggregateType, aggregateId, eventType, topic, metadata, createdFrom,
                    createdBefore, positionFrom, positionTo, eventId, correlationId, causationId, after, limit,
                    order);
        }
    }

    private static void refused(SearchParameters parameters, String... messageParts) {
        assertThatThrownBy(() -> EventSearch.parse(parameters)).isInstanceOf(RefusedRequest.class)
                .satisfies(e -> assertThat(((RefusedRequest) e).status()).isEqualTo(400))
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void everyParameterBecomesItsFilter() {
        UUID id = UUID.randomUUID();
        EventSearch search = EventSearch.parse(with(p -> p.aggregateType("Order").aggregateId("o-1")
                .eventType("order.*, #.shipped").topic("sales.#").metadata("{\"tenant\":\"acme\"}")
                .createdFrom("2024-05-01T12:00:00Z").createdBefore("2024-05-01T16:00:00+02:00")
                .positionFrom("3").positionTo("9").eventId(id.toString()).correlationId("c-1")
                .after("4").limit("20").order("desc")));

        EventQuery filters = search.filters();
        assertThat(filters.aggregateTypes()).containsExactly("Order");
        assertThat(filters.aggregateId()).contains("o-1");
        assertThat(filters.eventTypes()).extracting(Object::toString).containsExactly("order.*", "#.shipped");
        assertThat(filters.topics()).hasSize(1);
        assertThat(filters.metadataContains()).contains("{\"tenant\":\"acme\"}");
        assertThat(filters.createdFrom()).contains(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(filters.createdBefore()).contains(Instant.parse("2024-05-01T14:00:00Z"));
        assertThat(filters.positionFrom()).hasValue(3);
        assertThat(filters.positionTo()).hasValue(9);
        assertThat(filters.eventId()).contains(id);
        assertThat(filters.correlationId()).contains("c-1");
        assertThat(filters.afterPosition()).as("paging stays out of what is counted").isEmpty();
        assertThat(search.limit()).isEqualTo(20);
        EventQuery page = search.pageQuery();
        assertThat(page.limit()).as("one more, to know whether a next page exists").isEqualTo(21);
        assertThat(page.afterPosition()).hasValue(4);
        assertThat(page.isDescending()).isTrue();
    }

    @Test
    void noParametersMeanEveryEventOldestFirstFiftyAPage() {
        EventSearch search = EventSearch.parse(SearchParameters.none());

        assertThat(search.filters()).isEqualTo(EventQuery.all());
        assertThat(search.limit()).isEqualTo(EventSearch.DEFAULT_LIMIT);
        assertThat(search.pageQuery().isDescending()).isFalse();
        assertThat(search.pageQuery().afterPosition()).isEmpty();
    }

    @Test
    void badPatternsAreRefusedWithTheStoresMessage() {
        refused(with(p -> p.eventType("order*")), "order*");
        refused(with(p -> p.topic("a..b")), "a..b");
    }

    @Test
    void metadataMustBeAJsonObject() {
        refused(with(p -> p.metadata("{\"tenant\":")), "metadata must be a JSON object");
        refused(with(p -> p.metadata("[1,2]")), "metadata must be a JSON object", "array");
        refused(with(p -> p.metadata("tenant=acme")), "metadata must be a JSON object");
    }

    @Test
    void timesMustBeIsoWithAnOffsetAndInOrder() {
        refused(with(p -> p.createdFrom("yesterday")), "createdFrom", "2024-05-01T12:00:00Z", "yesterday");
        refused(with(p -> p.createdBefore("2024-05-01T12:00")), "createdBefore");
        refused(with(p -> p.createdFrom("2024-05-02T00:00:00Z").createdBefore("2024-05-01T00:00:00Z")),
                "createdFrom must be before createdBefore");
    }

    @Test
    void numbersAreCheckedNamingTheParameter() {
        refused(with(p -> p.positionFrom("x")), "positionFrom must be a whole number");
        refused(with(p -> p.positionTo("0")), "positionTo must be >= 1");
        refused(with(p -> p.positionFrom("9").positionTo("3")), "positionFrom must not be greater than positionTo");
        refused(with(p -> p.after("-1")), "after must be >= 0");
        refused(with(p -> p.limit("0")), "limit must be >= 1");
        refused(with(p -> p.limit("501")), "limit must be at most 500");
        refused(with(p -> p.eventId("42")), "eventId must be a UUID");
        refused(with(p -> p.order("newest")), "order must be asc or desc");
    }
}

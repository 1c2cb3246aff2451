package dev.eventstore.query;

import dev.eventstore.Event;
import dev.eventstore.PersistedEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventQueryTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void defaultsAreEverythingInAscendingPositionOrderWithTheDefaultLimit() {
        EventQuery query = EventQuery.all();

        assertThat(query.eventTypes()).isEmpty();
        assertThat(query.limit()).isEqualTo(EventQuery.DEFAULT_LIMIT);
        assertThat(query.hasExplicitLimit()).isFalse();
        assertThat(query.orderBy()).isEqualTo(EventQuery.OrderBy.GLOBAL_POSITION);
        assertThat(query.isDescending()).isFalse();
        assertThat(query.offset()).isZero();
        assertThat(query.afterPosition()).isEmpty();
    }

    @Test
    void patternsAreRecognisedAndExactNamesMayHoldAnyCharacter() {
        assertThat(EventTypePattern.of("order.*").isWildcard()).isTrue();
        assertThat(EventTypePattern.of("#").isWildcard()).isTrue();
        assertThat(EventTypePattern.of("pay.v1+2.(done)").isWildcard()).isFalse();
        assertThat(EventTypePattern.of("a..b").isWildcard()).isFalse();
    }

    @Test
    void malformedPatternsAreRejectedWithTheRule() {
        assertThatThrownBy(() -> EventTypePattern.of("order*")).hasMessageContaining("must be a whole word");
        assertThatThrownBy(() -> EventTypePattern.of("order.#x")).hasMessageContaining("must be a whole word");
        assertThatThrownBy(() -> EventTypePattern.of("order..*")).hasMessageContaining("empty word");
        assertThatThrownBy(() -> EventTypePattern.of(".#")).hasMessageContaining("empty word");
        assertThatThrownBy(() -> EventTypePattern.of(" ")).hasMessageContaining("eventType must not be blank");
    }

    @Test
    void badValuesAreRejectedWithMessagesNamingTheField() {
        assertThatThrownBy(() -> EventQuery.builder().limit(0)).hasMessageContaining("limit must be >= 1");
        assertThatThrownBy(() -> EventQuery.builder().offset(-1)).hasMessageContaining("offset must be >= 0");
        assertThatThrownBy(() -> EventQuery.builder().aggregateType(" ")).hasMessageContaining("aggregateType");
        assertThatThrownBy(() -> EventQuery.builder().aggregateId(null)).hasMessageContaining("aggregateId");
        assertThatThrownBy(() -> EventQuery.builder().createdFrom(null)).hasMessageContaining("createdFrom");
        assertThatThrownBy(() -> EventQuery.builder().metadataContains("[1]"))
                .hasMessageContaining("metadataContains must be a JSON object");
        assertThatThrownBy(() -> EventQuery.builder().afterPosition(-1)).hasMessageContaining("afterPosition");
        assertThatThrownBy(() -> EventQuery.builder().eventTypes((String[]) null)).hasMessageContaining("eventTypes");
        assertThatThrownBy(() -> EventQuery.builder().orderBy(null)).hasMessageContaining("orderBy");
    }

    @Test
    void inconsistentCombinationsAreRejectedAtBuild() {
        assertThatThrownBy(() -> EventQuery.builder().createdBetween(T0, T0).build())
                .hasMessageContaining("createdFrom must be before createdBefore");
        assertThatThrownBy(() -> EventQuery.builder().afterPosition(5).offset(2).build())
                .hasMessageContaining("offset must be 0 with a keyset continuation");
        assertThatThrownBy(() -> EventQuery.builder().after(T0, 5).build())
                .hasMessageContaining("use afterPosition(position)");
        assertThatThrownBy(() -> EventQuery.builder().orderBy(EventQuery.OrderBy.CREATED_AT).afterPosition(5).build())
                .hasMessageContaining("use after(createdAt, position)");
    }

    @Test
    void boundsFinerThanAMicrosecondRoundUp() {
        EventQuery query = EventQuery.builder().createdFrom(T0.plusNanos(1)).createdBefore(T0.plusNanos(1_001))
                .build();

        assertThat(query.createdFrom()).contains(T0.plusNanos(1_000));
        assertThat(query.createdBefore()).contains(T0.plusNanos(2_000));
    }

    @Test
    void continueAfterUsesTheKeyOfTheQueryOrderAndDropsTheOffset() {
        PersistedEvent last = new PersistedEvent(Event.builder("Order", "o1", "order.placed").createdAt(T0).build(),
                1, 42);

        EventQuery byPosition = EventQuery.builder().offset(10).limit(5).build().continueAfter(last);
        EventQuery byTime = EventQuery.builder().orderBy(EventQuery.OrderBy.CREATED_AT).build().continueAfter(last);

        assertThat(byPosition.afterPosition()).hasValue(42);
        assertThat(byPosition.offset()).isZero();
        assertThat(byPosition.limit()).isEqualTo(5);
        assertThat(byTime.afterCreatedAt()).contains(T0);
        assertThat(byTime.afterPosition()).hasValue(42);
    }

    @Test
    void queriesAreValuesAndDuplicateEventTypesCollapse() {
        EventQuery one = EventQuery.builder().eventTypes("a", "b.*", "a").aggregateType("X").build();
        EventQuery two = one.toBuilder().build();

        assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
        assertThat(one.eventTypes()).extracting(EventTypePattern::value).containsExactly("a", "b.*");
        assertThat(one.toString()).contains("aggregateTypes=[X]");
    }

    @Test
    void aggregateTypesReplaceThoseSetBeforeAndAnyOfThemMayMatch() {
        EventQuery one = EventQuery.builder().aggregateType("Order").build();
        EventQuery several = one.toBuilder().aggregateTypes("Invoice", "Cart", "Invoice").build();

        assertThat(EventQuery.all().aggregateTypes()).isEmpty();
        assertThat(one.aggregateTypes()).containsExactly("Order");
        assertThat(several.aggregateTypes()).containsExactly("Invoice", "Cart");
        assertThat(several.toBuilder().aggregateType("Order").build()).isEqualTo(one);
        assertThat(EventQuery.builder().aggregateTypes(java.util.List.of("A", "B")).build())
                .isEqualTo(EventQuery.builder().aggregateTypes("B", "A").build());
        assertThatThrownBy(() -> several.aggregateTypes().add("Order"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aggregateTypesMustNameAtLeastOneNonBlankType() {
        assertThatThrownBy(() -> EventQuery.builder().aggregateTypes()).hasMessageContaining("aggregateTypes must"
                + " name at least one").hasMessageContaining("set none");
        assertThatThrownBy(() -> EventQuery.builder().aggregateTypes((String[]) null))
                .hasMessageContaining("aggregateTypes must not be null");
        assertThatThrownBy(() -> EventQuery.builder().aggregateTypes("Order", " "))
                .hasMessageContaining("aggregateTypes must not contain blank entries");
    }

    @Test
    void textPostgresqlCannotStoreIsRejectedInEveryFilterSoAQueryNeverMatchesSomethingElse() {
        assertThatThrownBy(() -> EventQuery.builder().aggregateType("Order\uD800"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("aggregateType contains an unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> EventQuery.builder().aggregateTypes("Order", "Invoice\u0000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("aggregateTypes contains NUL");
        assertThatThrownBy(() -> EventQuery.builder().aggregateId("id-\uDC00"))
                .hasMessageStartingWith("aggregateId contains an unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> EventQuery.builder().aggregateId("id-\u0000"))
                .hasMessageStartingWith("aggregateId contains NUL");
        assertThatThrownBy(() -> EventQuery.builder().eventTypes("order.placed\uD800"))
                .hasMessageStartingWith("eventType contains an unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> EventQuery.builder().eventTypes("order.*.\u0000"))
                .hasMessageStartingWith("eventType contains NUL");
        assertThatThrownBy(() -> EventQuery.builder().metadataContains("{\"a\":\"\\u0000\"}"))
                .hasMessageStartingWith("metadataContains contains");
        assertThatThrownBy(() -> EventQuery.builder().metadataContains("{\"a\":\"\uD800\"}"))
                .hasMessageStartingWith("metadataContains contains an unpaired UTF-16 surrogate");
    }

    @Test
    void theWidestInstantsAreAcceptedAsBoundsAndKeptAsGiven() {
        EventQuery everything = EventQuery.builder().createdBetween(Instant.MIN, Instant.MAX).build();
        EventQuery nothingBefore = EventQuery.builder().createdBefore(Instant.MIN).build();
        EventQuery nothingFrom = EventQuery.builder().createdFrom(Instant.MAX).build();

        assertThat(everything.createdFrom()).contains(Instant.MIN);
        assertThat(everything.createdBefore()).contains(Instant.MAX);
        assertThat(nothingBefore.createdBefore()).contains(Instant.MIN);
        assertThat(nothingFrom.createdFrom()).contains(Instant.MAX);
    }
}

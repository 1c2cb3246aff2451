package dev.eventstore.query;

import dev.eventstore.Event;
import dev.eventstore.maintenance.RetentionScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicPatternTest {

    @ParameterizedTest(name = "{0} against {1}: {2}")
    @CsvSource({
            "app.lifecycle.#,   app.lifecycle,              true",
            "app.lifecycle.#,   app.lifecycle.registered,   true",
            "app.lifecycle.#,   app.lifecycle.a.b,          true",
            "app.lifecycle.#,   app.lifecyclex,             false",
            "app.lifecycle.#,   app,                        false",
            "hook.triggered.*,  hook.triggered.x,           true",
            "hook.triggered.*,  hook.triggered,             false",
            "hook.triggered.*,  hook.triggered.x.y,         false",
            "#,                 a,                          true",
            "#.#,               a.b.c,                      true",
            "#.x.#,             x,                          true",
            "#.x.#,             a.x.b.x,                    true",
            "#.x.#,             a.b,                        false",
            "*.*,               a,                          false",
            "a.#.b,             a.b,                        true",
            "a.#.b,             a.c.d.b,                    true",
            "a.#.b,             a.c.d,                      false",
            "Order.Placed,      order.placed,               false",
    })
    void matchesFollowsTheAmqpWordRules(String pattern, String topic, boolean expected) {
        assertThat(TopicPattern.of(pattern).matches(topic)).isEqualTo(expected);
    }

    @Test
    void anEventWithoutATopicMatchesNoPattern() {
        assertThat(TopicPattern.of("#").matches(null)).isFalse();
    }

    @Test
    void exactTopicsAreNotWildcards() {
        assertThat(TopicPattern.of("app.lifecycle.registered").isWildcard()).isFalse();
        assertThat(TopicPattern.of("app.*").isWildcard()).isTrue();
        assertThat(TopicPattern.of("#").words()).containsExactly("#");
    }

    @Test
    void malformedPatternsAreRefusedWithTheRule() {
        assertThatThrownBy(() -> TopicPattern.of("app.*x")).hasMessageContaining("a wildcard must be a whole word");
        assertThatThrownBy(() -> TopicPattern.of("app..x")).hasMessageContaining("empty word");
        assertThatThrownBy(() -> TopicPattern.of("app.(x)")).hasMessageContaining("could never match");
        assertThatThrownBy(() -> TopicPattern.of(" ")).hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> TopicPattern.of(null)).hasMessageContaining("must not be blank");
    }

    @Test
    void eventTopicsAreValidatedAndOptional() {
        Event none = Event.builder("Order", "o1", "OrderPlaced").build();
        Event placed = none.withTopic("order.lifecycle.placed");

        assertThat(none.topic()).isNull();
        assertThat(placed.topic()).isEqualTo("order.lifecycle.placed");
        assertThat(placed).isNotEqualTo(none);
        assertThat(placed.withTopic(null)).isEqualTo(none);
        assertThat(placed.toString()).contains("topic=order.lifecycle.placed");
        assertThatThrownBy(() -> none.withTopic("order.*")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic 'order.*' contains '*'");
        assertThatThrownBy(() -> none.withTopic("order.plac\u00e9"))
                .hasMessageContaining("ASCII letters, digits, '_' and '-'");
        assertThatThrownBy(() -> none.withTopic("a\u0000b")).hasMessageContaining("U+0000");
    }

    @Test
    void queriesKeepTopicsApartFromEventTypesAndDropDuplicates() {
        EventQuery query = EventQuery.builder().eventTypes("order.#").topics("app.#", "hook.*", "app.#").build();

        assertThat(query.topics()).containsExactly(TopicPattern.of("app.#"), TopicPattern.of("hook.*"));
        assertThat(query.eventTypes()).containsExactly(EventTypePattern.of("order.#"));
        assertThat(query.toBuilder().build()).isEqualTo(query).hasSameHashCodeAs(query);
        assertThat(query.toString()).contains("topics=[app.#, hook.*]");
        assertThat(EventQuery.builder().topics("app.#").build()).isNotEqualTo(EventQuery.all());
        assertThatThrownBy(() -> EventQuery.builder().topics((String[]) null)).hasMessageContaining("topics");
        assertThatThrownBy(() -> EventQuery.builder().topics("ok.#", "bad..one"))
                .hasMessageContaining("empty word");
    }

    @Test
    void retentionScopesCarryTopics() {
        RetentionScope scope = RetentionScope.topics("session.#").andEventTypes("session.*");

        assertThat(scope.topics()).containsExactly(TopicPattern.of("session.#"));
        assertThat(scope.isAll()).isFalse();
        assertThat(new RetentionScope(Set.of(), Set.of())).isEqualTo(RetentionScope.all());
        assertThatThrownBy(() -> RetentionScope.all().andTopics()).hasMessageContaining("at least one topic");
        assertThatThrownBy(() -> new RetentionScope(Set.of(), Set.of(), null)).hasMessageContaining("topics");
    }
}

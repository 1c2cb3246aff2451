package dev.eventstore.maintenance;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionScopeTest {

    @Test
    void scopesCombineEventTypesAndAggregateTypes() {
        RetentionScope scope = RetentionScope.aggregateTypes("Audit").andEventTypes("audit.#");

        assertThat(scope.aggregateTypes()).containsExactly("Audit");
        assertThat(scope.eventTypes()).extracting(Object::toString).containsExactly("audit.#");
        assertThat(scope.isAll()).isFalse();
        assertThat(RetentionScope.all().isAll()).isTrue();
    }

    @Test
    void textPostgresqlCannotStoreIsRejectedSoADeleteNeverHitsAnotherType() {
        assertThatThrownBy(() -> RetentionScope.aggregateTypes("Audit\uD800"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("aggregateTypes contains an unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> new RetentionScope(Set.of(), Set.of("Audit\u0000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("aggregateTypes contains NUL");
        assertThatThrownBy(() -> RetentionScope.eventTypes("audit.\uDC00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("eventType contains an unpaired UTF-16 surrogate");
    }
}

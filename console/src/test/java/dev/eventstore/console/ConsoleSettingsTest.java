package dev.eventstore.console;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsoleSettingsTest {

    private static ConsoleSettings resolve(Map<String, String> values) {
        return ConsoleSettings.resolve(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void defaultsShowPayloadsAndUseTheStoresDefaults() {
        ConsoleSettings settings = resolve(Map.of());

        assertThat(settings.hidePayloadsFromViewers()).isFalse();
        assertThat(settings.headsTable().sql()).isEqualTo("\"aggregate_heads\"");
        assertThat(settings.dataSource()).isEqualTo("java:comp/DefaultDataSource");
    }

    @Test
    void theSettingsAreRead() {
        ConsoleSettings settings = resolve(Map.of(ConsoleSettings.HIDE_PAYLOADS, " TRUE ",
                ConsoleSettings.HEADS_TABLE, "audit.heads", ConsoleSettings.DATASOURCE, "java:/jdbc/Store"));

        assertThat(settings.hidePayloadsFromViewers()).isTrue();
        assertThat(settings.headsTable().sql()).isEqualTo("\"audit\".\"heads\"");
        assertThat(settings.dataSource()).isEqualTo("java:/jdbc/Store");
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> resolve(Map.of(ConsoleSettings.HIDE_PAYLOADS, "yes")))
                .hasMessageContaining(ConsoleSettings.HIDE_PAYLOADS).hasMessageContaining("true or false");
        assertThatThrownBy(() -> resolve(Map.of(ConsoleSettings.HEADS_TABLE, "heads; DROP TABLE x")))
                .hasMessageContaining(ConsoleSettings.HEADS_TABLE);
    }
}

package dev.eventstore.cdi.internal;

import dev.eventstore.postgres.SqlName;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventStoreSettingsTest {

    @Test
    void defaultsAreTheContainersDefaultDataSourceAndTheDefaultTables() {
        EventStoreSettings settings = EventStoreSettings.from(key -> Optional.empty());

        assertThat(settings.dataSourceJndiName()).isEqualTo("java:comp/DefaultDataSource");
        assertThat(settings.storeConfig().eventsTable()).isEqualTo(SqlName.parse("events"));
        assertThat(settings.storeConfig().headsTable()).isEqualTo(SqlName.parse("aggregate_heads"));
        assertThat(settings.storeConfig().notifyChannel()).isEmpty();
        assertThat(settings.notifyMode()).isEqualTo(NotifyMode.AUTO);
    }

    @Test
    void notifyModeIsReadAndABadOneIsRejectedNamingTheChoices() {
        assertThat(EventStoreSettings.from(key -> key.equals("eventstore.notify-mode")
                ? Optional.of("after-commit") : Optional.empty()).notifyMode()).isEqualTo(NotifyMode.AFTER_COMMIT);
        assertThat(EventStoreSettings.from(key -> key.equals("eventstore.notify-mode")
                ? Optional.of(" In-Transaction ") : Optional.empty()).notifyMode())
                .isEqualTo(NotifyMode.IN_TRANSACTION);
        assertThatThrownBy(() -> EventStoreSettings.from(key -> key.equals("eventstore.notify-mode")
                ? Optional.of("later") : Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventstore.notify-mode must be one of auto, in-transaction, after-commit; was 'later'");
    }

    @Test
    void everyKeyIsHonoured() {
        Map<String, String> config = Map.of(
                "eventstore.datasource", "java:jboss/datasources/OrdersDS",
                "eventstore.events-table", "audit.events",
                "eventstore.heads-table", "audit.heads",
                "eventstore.notify-channel", "orders");

        EventStoreSettings settings = EventStoreSettings.from(key -> Optional.ofNullable(config.get(key)));

        assertThat(settings.dataSourceJndiName()).isEqualTo("java:jboss/datasources/OrdersDS");
        assertThat(settings.storeConfig().eventsTable()).isEqualTo(SqlName.parse("audit.events"));
        assertThat(settings.storeConfig().headsTable()).isEqualTo(SqlName.parse("audit.heads"));
        assertThat(settings.storeConfig().notifyChannel()).contains(SqlName.unqualified("orders"));
    }

    @Test
    void anInvalidNameIsRejectedNamingTheKeys() {
        assertThatThrownBy(() -> EventStoreSettings.from(
                key -> key.equals("eventstore.events-table") ? Optional.of("Events;") : Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventstore.events-table").hasMessageContaining("not a valid identifier");
    }
}

package dev.eventstore.docs;

import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The code block of docs/configuration.md. */
class ConfigurationDocTest {

    @Test
    void theConfigurationExampleNamesTablesInASchemaAndANotifyChannel() {
        // doc: store-config begins
        StoreConfig config = StoreConfig.defaults()                 // events, aggregate_heads, no notifications
                .withEventsTable("audit.events")
                .withHeadsTable("audit.aggregate_heads")
                .withNotifyChannel("eventstore");                   // pg_notify('eventstore', aggregateType) per append
        PostgresEventStore store = PostgresEventStore.create(config);
        // doc: store-config ends

        assertThat(store.config()).isEqualTo(config);
        assertThat(config.eventsTable().sql()).isEqualTo("\"audit\".\"events\"");
        assertThat(config.headsTable().sql()).isEqualTo("\"audit\".\"aggregate_heads\"");
        assertThat(config.notifyChannel())
                .hasValueSatisfying(channel -> assertThat(channel.sql()).contains("eventstore"));
        assertThat(StoreConfig.defaults().notifyChannel()).isEmpty();
    }
}

package dev.eventstore.cdi.internal;

import dev.eventstore.postgres.SqlName;
import dev.eventstore.projection.ProjectionMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
                .hasMessage("Invalid event store configuration: eventstore.notify-mode must be one of auto,"
                        + " in-transaction, after-commit; was 'later'");
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

    @Test
    void theAsyncRuntimeAndHealthKeysHaveTheBuildersDefaults() {
        EventStoreSettings settings = EventStoreSettings.from(key -> Optional.empty());

        assertThat(settings.async()).isEqualTo(new EventStoreSettings.Async(500, Duration.ofSeconds(1),
                Duration.ofSeconds(15), 5, Duration.ofMillis(200), Duration.ofSeconds(30)));
        assertThat(settings.health().maxLag()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theAsyncRuntimeAndHealthKeysAreReadInShortOrIsoForm() {
        Map<String, String> config = Map.of(
                "eventstore.async.batch-size", "50",
                "eventstore.async.poll-interval", "250ms",
                "eventstore.async.lease", "PT30S",
                "eventstore.async.max-failures", "3",
                "eventstore.async.backoff-initial", "1s",
                "eventstore.async.backoff-max", "2m",
                "eventstore.health.max-lag", "1h");

        EventStoreSettings settings = EventStoreSettings.from(key -> Optional.ofNullable(config.get(key)));

        assertThat(settings.async()).isEqualTo(new EventStoreSettings.Async(50, Duration.ofMillis(250),
                Duration.ofSeconds(30), 3, Duration.ofSeconds(1), Duration.ofMinutes(2)));
        assertThat(settings.health().maxLag()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void everyInvalidValueIsReportedAtOnceWithItsKeyAndWhatItAccepts() {
        Map<String, String> config = Map.of(
                "eventstore.async.batch-size", "0",
                "eventstore.async.lease", "soon",
                "eventstore.async.max-failures", "many",
                "eventstore.health.max-lag", "-5s",
                "eventstore.heads-table", "Heads!");

        assertThatThrownBy(() -> EventStoreSettings.from(key -> Optional.ofNullable(config.get(key))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventstore.async.batch-size must be a whole number from 1 to 10000; was '0'")
                .hasMessageContaining("eventstore.async.lease must be a positive duration such as 500ms, 15s, 2m,"
                        + " 1h or PT15S; was 'soon'")
                .hasMessageContaining("eventstore.async.max-failures must be a whole number from 1 to 1000;"
                        + " was 'many'")
                .hasMessageContaining("eventstore.health.max-lag must be a positive duration")
                .hasMessageContaining("eventstore.heads-table 'Heads!'");
    }

    @Test
    void anInitialBackoffLongerThanTheLongestIsRefused() {
        Map<String, String> config = Map.of("eventstore.async.backoff-initial", "1m",
                "eventstore.async.backoff-max", "10s");

        assertThatThrownBy(() -> EventStoreSettings.from(key -> Optional.ofNullable(config.get(key))))
                .hasMessageContaining("eventstore.async.backoff-initial (PT1M) must not be longer than"
                        + " eventstore.async.backoff-max (PT10S)");
    }

    @Test
    void aProjectionsSegmentKeyOverridesItsAnnotationAndAnAbsentKeyKeepsIt() {
        ProjectionDefinition search = projection("order-search", ProjectionMode.ASYNC, 2);
        ProjectionDefinition totals = projection("totals", ProjectionMode.ASYNC, 3);
        ProjectionDefinition overview = projection("overview", ProjectionMode.INLINE, 1);
        Map<String, String> config = Map.of("eventstore.projection.order-search.segments", " 8 ",
                "eventstore.projection.overview.segments", "1");

        EventStoreSettings settings = EventStoreSettings.from(key -> Optional.ofNullable(config.get(key)),
                List.of(search, totals, overview));

        assertThat(settings.segments(search)).isEqualTo(8);
        assertThat(settings.segments(totals)).isEqualTo(3);
        assertThat(settings.segments(overview)).isEqualTo(1);
        assertThat(EventStoreSettings.segmentsKey("order-search"))
                .isEqualTo("eventstore.projection.order-search.segments");
    }

    @Test
    void everyBadSegmentKeyIsReportedWithTheOtherInvalidValuesNamingWhatItAccepts() {
        Map<String, String> config = Map.of(
                "eventstore.projection.zero.segments", "0",
                "eventstore.projection.huge.segments", "257",
                "eventstore.projection.words.segments", "four",
                "eventstore.projection.overview.segments", "4",
                "eventstore.async.lease", "soon");

        assertThatThrownBy(() -> EventStoreSettings.from(key -> Optional.ofNullable(config.get(key)),
                List.of(projection("zero", ProjectionMode.ASYNC, 1), projection("huge", ProjectionMode.ASYNC, 1),
                        projection("words", ProjectionMode.ASYNC, 1),
                        projection("overview", ProjectionMode.INLINE, 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventstore.projection.zero.segments must be a whole number from 1 to 256;"
                        + " was '0'")
                .hasMessageContaining("eventstore.projection.huge.segments must be a whole number from 1 to 256;"
                        + " was '257'")
                .hasMessageContaining("eventstore.projection.words.segments must be a whole number from 1 to 256;"
                        + " was 'four'")
                .hasMessageContaining("eventstore.projection.overview.segments is 4, but "
                        + EventStoreSettingsTest.class.getName() + " is an INLINE projection, which has no segments;"
                        + " remove the key, or declare mode = ASYNC")
                .hasMessageContaining("eventstore.async.lease must be a positive duration");
    }

    private static ProjectionDefinition projection(String name, ProjectionMode mode, int segments) {
        return new ProjectionDefinition(name, EventStoreSettingsTest.class, Set.of(), mode, List.of(),
                Optional.empty(), segments);
    }
}

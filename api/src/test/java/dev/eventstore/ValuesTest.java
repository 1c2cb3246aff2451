package dev.eventstore;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValuesTest {

    private static PersistedEvent persisted(String type, String id, long version, long position) {
        return new PersistedEvent(Event.builder(type, id, "Happened").build(), version, position);
    }

    @Test
    void versionRangeDescribesItsInclusiveBounds() {
        assertThat(VersionRange.all()).isEqualTo(new VersionRange(1, Long.MAX_VALUE)).hasToString("[1..end]");
        assertThat(VersionRange.between(2, 4).contains(4)).isTrue();
        assertThat(VersionRange.between(2, 4).contains(5)).isFalse();
        assertThat(VersionRange.to(3)).isEqualTo(new VersionRange(1, 3));
        assertThat(VersionRange.all().isEmpty()).isFalse();
        assertThat(VersionRange.between(3, 3).isEmpty()).isFalse();
    }

    @Test
    void versionRangeWhoseFromExceedsItsToIsEmptyRatherThanAnError() {
        VersionRange inverted = VersionRange.between(5, 4);

        assertThat(inverted.isEmpty()).isTrue();
        assertThat(inverted.contains(4)).isFalse();
        assertThat(inverted.contains(5)).isFalse();
        assertThat(VersionRange.to(0).isEmpty()).isTrue();
    }

    @Test
    void versionRangeStartingAtZeroCoversTheSameVersionsAsOneSinceNoEventHasVersionZero() {
        assertThat(VersionRange.from(0).isEmpty()).isFalse();
        assertThat(VersionRange.from(0).contains(1)).isTrue();
        assertThat(VersionRange.between(0, 0).contains(1)).isFalse();
    }

    @Test
    void versionRangeRejectsNegativeBoundsNamingTheBound() {
        assertThatThrownBy(() -> VersionRange.from(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fromVersion must be >= 0").hasMessageContaining("-1");
        assertThatThrownBy(() -> VersionRange.to(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("toVersion must be >= 0").hasMessageContaining("-1");
        assertThatThrownBy(() -> VersionRange.between(-2, 4)).hasMessageContaining("fromVersion");
        assertThatThrownBy(() -> VersionRange.between(2, -4)).hasMessageContaining("toVersion");
    }

    @Test
    void aggregateStreamIsImmutableOrderedAndKnowsItsVersion() {
        List<PersistedEvent> events = new ArrayList<>(List.of(persisted("Order", "o", 1, 10), persisted("Order", "o", 2, 12)));
        AggregateStream stream = new AggregateStream("Order", "o", events);
        events.clear();

        assertThat(stream.size()).isEqualTo(2);
        assertThat(stream.version()).isEqualTo(2);
        assertThat(new AggregateStream("Order", "o", List.of()).version()).isZero();
        assertThatThrownBy(() -> stream.events().add(persisted("Order", "o", 3, 13)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new AggregateStream("Order", "o",
                List.of(persisted("Order", "o", 2, 10), persisted("Order", "o", 1, 11))))
                .hasMessageContaining("ascending version order");
        assertThatThrownBy(() -> new AggregateStream("Order", "o", List.of(persisted("Order", "x", 1, 10))))
                .hasMessageContaining("must all belong to Order/o");
    }

    @Test
    void appendResultMustDescribeConsecutiveVersions() {
        AppendResult result = new AppendResult("Order", "o", 2,
                4, List.of(persisted("Order", "o", 3, 20), persisted("Order", "o", 4, 21)));

        assertThat(result.globalPositions()).containsExactly(20L, 21L);
        assertThat(result.lastGlobalPosition()).isEqualTo(21);
        assertThatThrownBy(() -> new AppendResult("Order", "o", 2, 5, List.of(persisted("Order", "o", 3, 20))))
                .hasMessageContaining("toVersion must be fromVersion + number of events");
        assertThatThrownBy(() -> new AppendResult("Order", "o", 0, 1, List.of(persisted("Order", "o", 2, 20))))
                .hasMessageContaining("consecutive versions from 1");
        assertThatThrownBy(() -> new AppendResult("Order", "o", 0, 0, List.of()))
                .hasMessageContaining("must not be empty");
    }

    @Test
    void concurrencyExceptionCarriesWhatTheCallerNeedsToRetry() {
        var conflict = new OptimisticConcurrencyException("Order", "o", ExpectedVersion.exact(2), 3);
        var raced = new OptimisticConcurrencyException("Order", "o", ExpectedVersion.noStream(), OptionalLong.empty(),
                "unique constraint", null);

        assertThat(conflict.actualVersion()).hasValue(3);
        assertThat(conflict).hasMessageContaining("Order/o").hasMessageContaining("exact(2)")
                .hasMessageContaining("actual version 3").hasMessageContaining("retry");
        assertThat(raced.actualVersion()).isEmpty();
        assertThat(raced).isInstanceOf(EventStoreException.class).isInstanceOf(RuntimeException.class);
    }

    @Test
    void scopedConsumersAcceptTheirAggregateTypesOrAllWhenEmpty() {
        ScopedEventConsumer orders = scoped(Set.of("Order"));
        ScopedEventConsumer all = scoped(Set.of());

        assertThat(orders.accepts(persisted("Order", "o", 1, 1))).isTrue();
        assertThat(orders.accepts(persisted("Invoice", "i", 1, 2))).isFalse();
        assertThat(all.accepts(persisted("Invoice", "i", 1, 2))).isTrue();
    }

    private static ScopedEventConsumer scoped(Set<String> types) {
        return new ScopedEventConsumer() {
            @Override
            public Set<String> aggregateTypes() {
                return types;
            }

            @Override
            public String name() {
                return "scoped";
            }

            @Override
            public void handle(PersistedEvent event) {
            }
        };
    }
}

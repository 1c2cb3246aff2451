package dev.eventstore.projection;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectionStatusTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void theConstructorFromBeforeSegmentsStillBuildsAStatusWithNoSegmentListed() {
        ProjectionStatus status = new ProjectionStatus("totals", ProjectionState.RUNNING, 7, 42, 0, Duration.ZERO,
                0, Optional.empty(), 0, 0, Optional.empty(), OptionalLong.empty(), Optional.of("node-a"), NOW);

        assertThat(status.segments()).isEmpty();
        assertThat(status.caughtUp()).isTrue();
        assertThat(status.leaseOwner()).contains("node-a");
    }

    @Test
    void theSegmentsAreACopyThatCannotChange() {
        List<ProjectionStatus.Segment> segments = new ArrayList<>();
        segments.add(new ProjectionStatus.Segment(0, 2, ProjectionState.RUNNING, 7, 42, 3, Duration.ofSeconds(1), 0,
                0, Optional.empty(), OptionalLong.empty(), Optional.of("node-a"), NOW));
        ProjectionStatus status = new ProjectionStatus("totals", ProjectionState.RUNNING, 7, 42, 3,
                Duration.ofSeconds(1), 0, Optional.empty(), 0, 0, Optional.empty(), OptionalLong.empty(),
                Optional.of("node-a"), NOW, segments);
        segments.clear();

        assertThat(status.segments()).hasSize(1);
        assertThat(status.segments().get(0).caughtUp()).isFalse();
        assertThatThrownBy(() -> status.segments().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}

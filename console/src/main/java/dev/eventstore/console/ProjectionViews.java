package dev.eventstore.console;

import dev.eventstore.projection.ProjectionStatus;

import java.time.Instant;
import java.util.List;

/** What the console's API answers about asynchronous projections. */
public final class ProjectionViews {

    private ProjectionViews() {
    }

    /**
     * One projection as a whole, and its segments.
     *
     * @param failedPosition global position of the event it is parked on, to open it in the event browser
     * @param horizonHolder  the open transaction holding every consumer back, if any ("pid 123, idle in
     *                       transaction, 42 s")
     */
    public record ProjectionView(String name, String state, boolean caughtUp, long lastPosition,
                                 long lastTransactionId, long lagEvents, long lagMillis, long waitingForHorizon,
                                 String horizonHolder, int preparedTransactions, int failureCount, String lastError,
                                 Long failedPosition, String leaseOwner, Instant updatedAt,
                                 List<SegmentView> segments) {

        static ProjectionView of(ProjectionStatus status) {
            return new ProjectionView(status.name(), status.state().name(), status.caughtUp(),
                    status.lastPosition(), status.lastTransactionId(), status.lagEvents(),
                    status.lagTime().toMillis(), status.waitingForHorizon(),
                    status.horizonHolder().map(h -> "pid " + h.pid() + ", " + h.state() + ", "
                            + h.age().toSeconds() + " s").orElse(null),
                    status.preparedTransactions(), status.failureCount(), status.lastError().orElse(null),
                    status.failedPosition().isPresent() ? status.failedPosition().getAsLong() : null,
                    status.leaseOwner().orElse(null), status.updatedAt(),
                    status.segments().stream().map(SegmentView::of).toList());
        }
    }

    /** One segment: its own checkpoint, state, lag and lease. */
    public record SegmentView(int segment, int segmentCount, String state, boolean caughtUp, long lastPosition,
                              long lagEvents, long lagMillis, int failureCount, String lastError,
                              Long failedPosition, String leaseOwner, Instant updatedAt) {

        static SegmentView of(ProjectionStatus.Segment segment) {
            return new SegmentView(segment.segment(), segment.segmentCount(), segment.state().name(),
                    segment.caughtUp(), segment.lastPosition(), segment.lagEvents(), segment.lagTime().toMillis(),
                    segment.failureCount(), segment.lastError().orElse(null),
                    segment.failedPosition().isPresent() ? segment.failedPosition().getAsLong() : null,
                    segment.leaseOwner().orElse(null), segment.updatedAt());
        }
    }
}

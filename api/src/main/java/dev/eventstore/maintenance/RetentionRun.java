package dev.eventstore.maintenance;

import java.time.Duration;
import java.time.Instant;

/**
 * What one retention run did.
 *
 * @param cutoff        events created before this instant were eligible
 * @param scope         the restriction on event and aggregate types
 * @param eventsDeleted number of events deleted
 * @param batches       number of delete statements executed
 * @param startedAt     when the run started
 * @param duration      how long it took
 */
public record RetentionRun(Instant cutoff, RetentionScope scope, long eventsDeleted, int batches, Instant startedAt,
                           Duration duration) {

    public RetentionRun {
        if (cutoff == null || scope == null || startedAt == null || duration == null) {
            throw new IllegalArgumentException("cutoff, scope, startedAt and duration must not be null");
        }
        if (eventsDeleted < 0 || batches < 0) {
            throw new IllegalArgumentException("eventsDeleted and batches must be >= 0, were " + eventsDeleted
                    + " and " + batches);
        }
    }
}

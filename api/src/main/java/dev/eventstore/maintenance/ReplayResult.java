package dev.eventstore.maintenance;

import java.time.Duration;
import java.util.List;

/**
 * What one replay run did.
 *
 * @param handler         name of the handler the events went to
 * @param eventsReplayed  events handed to the handler without error
 * @param failures        events the handler failed on (skipped, when continuing on error)
 * @param failedPositions global positions of the first failed events (at most {@value #MAX_FAILED_POSITIONS})
 * @param lastPosition    global position of the last event read, 0 when none
 * @param batches         number of batches read
 * @param duration        how long the run took
 */
public record ReplayResult(String handler, long eventsReplayed, long failures, List<Long> failedPositions,
                           long lastPosition, int batches, Duration duration) {

    /** How many failed positions a result keeps; the count in {@code failures} is always complete. */
    public static final int MAX_FAILED_POSITIONS = 100;

    public ReplayResult {
        if (handler == null || handler.isBlank()) {
            throw new IllegalArgumentException("handler must not be blank");
        }
        if (eventsReplayed < 0 || failures < 0 || lastPosition < 0 || batches < 0) {
            throw new IllegalArgumentException("eventsReplayed, failures, lastPosition and batches must be >= 0");
        }
        failedPositions = List.copyOf(failedPositions == null ? List.of() : failedPositions);
        if (duration == null) {
            throw new IllegalArgumentException("duration must not be null");
        }
    }

    /** Events read in total: replayed plus failed. */
    public long eventsRead() {
        return eventsReplayed + failures;
    }
}

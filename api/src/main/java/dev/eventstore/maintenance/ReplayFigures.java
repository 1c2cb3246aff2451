package dev.eventstore.maintenance;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of a replay service's figures since it was created.
 *
 * @param runs           replay runs started and finished (completed or stopped by an error)
 * @param eventsReplayed events handed to handlers without error, over all runs
 * @param failures       events a handler failed on, over all runs
 * @param lastRunAt      when the last run started; {@code null} before the first run
 * @param lastDuration   how long the last run took; {@link Duration#ZERO} before the first run
 * @param lastCount      events replayed by the last run
 */
public record ReplayFigures(long runs, long eventsReplayed, long failures, Instant lastRunAt, Duration lastDuration,
                            long lastCount) {

    public static final ReplayFigures NONE = new ReplayFigures(0, 0, 0, null, Duration.ZERO, 0);

    public ReplayFigures {
        if (lastDuration == null) {
            throw new IllegalArgumentException("lastDuration must not be null; use Duration.ZERO");
        }
    }

    /** These figures after one more run that started at {@code startedAt}. */
    public ReplayFigures after(Instant startedAt, ReplayResult result) {
        return new ReplayFigures(runs + 1, eventsReplayed + result.eventsReplayed(), failures + result.failures(),
                startedAt, result.duration(), result.eventsReplayed());
    }
}

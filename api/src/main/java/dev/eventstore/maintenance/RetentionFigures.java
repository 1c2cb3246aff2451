package dev.eventstore.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of a retention manager's figures since it was created.
 *
 * @param runs             completed runs
 * @param failedRuns       runs that ended with an error
 * @param eventsDeleted    events deleted by all runs
 * @param lastRunAt        when the last run (successful or not) started; {@code null} before the first run
 * @param lastRunDuration  how long the last run took; {@link Duration#ZERO} before the first run
 * @param lastRunDeleted   events deleted by the last run
 */
public record RetentionFigures(long runs, long failedRuns, long eventsDeleted, Instant lastRunAt,
                               Duration lastRunDuration, long lastRunDeleted) {

    public static final RetentionFigures NONE = new RetentionFigures(0, 0, 0, null, Duration.ZERO, 0);

    public RetentionFigures {
        if (lastRunDuration == null) {
            throw new IllegalArgumentException("lastRunDuration must not be null; use Duration.ZERO");
        }
    }

    public Optional<Instant> lastRun() {
        return Optional.ofNullable(lastRunAt);
    }

    /** These figures after one more successful run. */
    public RetentionFigures after(RetentionRun run) {
        return new RetentionFigures(runs + 1, failedRuns, eventsDeleted + run.eventsDeleted(), run.startedAt(),
                run.duration(), run.eventsDeleted());
    }

    /** These figures after one more failed run. */
    public RetentionFigures afterFailure(Instant startedAt, Duration duration) {
        return new RetentionFigures(runs + 1, failedRuns + 1, eventsDeleted, startedAt, duration, 0);
    }
}

package dev.eventstore.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A snapshot of one asynchronous projection, for operators. Every accessor but {@link #segments()} describes the
 * projection as a whole; a projection with several segments (each with its own checkpoint and lease) lists them in
 * {@code segments}, and its whole is summed up from them as each parameter says.
 *
 * @param name                 the projection
 * @param state                running, paused or parked: parked when any segment is, else paused when any is
 * @param lastTransactionId    transaction id of the last event handled (0 before the first), half of the checkpoint;
 *                             with segments, the slowest segment's (the lowest checkpoint)
 * @param lastPosition         global position of the last event handled (0 before the first), the other half
 * @param lagEvents            matching events written after the checkpoint, whether readable yet or not; with
 *                             segments, the sum over all segments
 * @param lagTime              age of the oldest of those events; zero when there is none; with segments, the slowest
 *                             segment's (the largest)
 * @param waitingForHorizon    of {@code lagEvents}, those not readable yet because an older transaction is still
 *                             open somewhere in the database (see {@code horizonHolder})
 * @param horizonHolder        the oldest open writing transaction in the database, which holds all consumers back
 * @param preparedTransactions prepared (in-doubt XA) transactions, which hold the horizon back too
 * @param failureCount         consecutive failures on the current event; with segments, the highest
 * @param lastError            the last failure, if any; with segments, that of the segment with the most failures
 * @param failedPosition       global position of the event that failed, if any (same segment as {@code lastError})
 * @param leaseOwner           the node running the projection now, if any; with segments, the distinct nodes
 *                             holding a segment, sorted and separated by {@code ", "}
 * @param updatedAt            when a checkpoint row last changed
 * @param segments             each segment's own status, by segment number; one entry for a projection with one
 *                             segment, empty only where no segment is known
 */
public record ProjectionStatus(String name, ProjectionState state, long lastTransactionId, long lastPosition,
                               long lagEvents, Duration lagTime, long waitingForHorizon,
                               Optional<HorizonHolder> horizonHolder, int preparedTransactions, int failureCount,
                               Optional<String> lastError, OptionalLong failedPosition, Optional<String> leaseOwner,
                               Instant updatedAt, List<Segment> segments) {

    public ProjectionStatus {
        segments = segments == null ? List.of() : List.copyOf(segments);
    }

    /** The status as it was before segments: no segment listed. */
    public ProjectionStatus(String name, ProjectionState state, long lastTransactionId, long lastPosition,
                            long lagEvents, Duration lagTime, long waitingForHorizon,
                            Optional<HorizonHolder> horizonHolder, int preparedTransactions, int failureCount,
                            Optional<String> lastError, OptionalLong failedPosition, Optional<String> leaseOwner,
                            Instant updatedAt) {
        this(name, state, lastTransactionId, lastPosition, lagEvents, lagTime, waitingForHorizon, horizonHolder,
                preparedTransactions, failureCount, lastError, failedPosition, leaseOwner, updatedAt, List.of());
    }

    /**
     * One segment of a projection: the events of the aggregates whose hash falls into it, with its own checkpoint,
     * state and lease.
     *
     * @param segment           its number, from 0 to {@code segmentCount - 1}
     * @param segmentCount      how many segments its checkpoint row was made for
     * @param state             running, paused or parked
     * @param lastTransactionId transaction id of the last event this segment handled (0 before the first)
     * @param lastPosition      global position of that event (0 before the first)
     * @param lagEvents         this segment's events written after its checkpoint, readable yet or not
     * @param lagTime           age of the oldest of those; zero when there is none
     * @param waitingForHorizon of {@code lagEvents}, those not readable yet
     * @param failureCount      consecutive failures on its current event
     * @param lastError         its last failure, if any
     * @param failedPosition    global position of the event that failed, if any
     * @param leaseOwner        the node running this segment now, if any
     * @param updatedAt         when its checkpoint row last changed
     */
    public record Segment(int segment, int segmentCount, ProjectionState state, long lastTransactionId,
                          long lastPosition, long lagEvents, Duration lagTime, long waitingForHorizon,
                          int failureCount, Optional<String> lastError, OptionalLong failedPosition,
                          Optional<String> leaseOwner, Instant updatedAt) {

        /** Whether this segment has handled everything written so far. */
        public boolean caughtUp() {
            return lagEvents == 0;
        }
    }

    /**
     * The oldest open transaction that has written something: until it ends, no consumer can safely read past it.
     *
     * @param pid   its backend process id ({@code pg_stat_activity.pid})
     * @param state its backend state, for example {@code idle in transaction}
     * @param age   how long it has been open
     */
    public record HorizonHolder(int pid, String state, Duration age) {
    }

    /** Whether the projection has handled everything written so far. */
    public boolean caughtUp() {
        return lagEvents == 0;
    }

    /** Convenience for logs and health checks. */
    public OptionalInt pidHoldingHorizon() {
        return horizonHolder.map(h -> OptionalInt.of(h.pid())).orElse(OptionalInt.empty());
    }
}

package dev.eventstore.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A snapshot of one asynchronous projection, for operators.
 *
 * @param name                 the projection
 * @param state                running, paused or parked
 * @param lastTransactionId    transaction id of the last event handled (0 before the first), half of the checkpoint
 * @param lastPosition         global position of the last event handled (0 before the first), the other half
 * @param lagEvents            matching events written after the checkpoint, whether readable yet or not
 * @param lagTime              age of the oldest of those events; zero when there is none
 * @param waitingForHorizon    of {@code lagEvents}, those not readable yet because an older transaction is still
 *                             open somewhere in the database (see {@code horizonHolder})
 * @param horizonHolder        the oldest open writing transaction in the database, which holds all consumers back
 * @param preparedTransactions prepared (in-doubt XA) transactions, which hold the horizon back too
 * @param failureCount         consecutive failures on the current event
 * @param lastError            the last failure, if any
 * @param failedPosition       global position of the event that failed, if any
 * @param leaseOwner           the node running the projection now, if any
 * @param updatedAt            when the checkpoint row last changed
 */
public record ProjectionStatus(String name, ProjectionState state, long lastTransactionId, long lastPosition,
                               long lagEvents, Duration lagTime, long waitingForHorizon,
                               Optional<HorizonHolder> horizonHolder, int preparedTransactions, int failureCount,
                               Optional<String> lastError, OptionalLong failedPosition, Optional<String> leaseOwner,
                               Instant updatedAt) {

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

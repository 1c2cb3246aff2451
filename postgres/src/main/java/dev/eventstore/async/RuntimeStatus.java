package dev.eventstore.async;

import java.util.Objects;
import java.util.Optional;

/**
 * The state of one node's projection runtime, for liveness checks and logs.
 *
 * @param node             this node's name in leases and logs
 * @param phase            where the runtime is in its life
 * @param startAttempts    how many times it tried to prepare (checkpoint rows, tables); retried with backoff while
 *                         the database is unreachable or the store's tables are missing
 * @param lastStartFailure why the last attempt failed, while {@link Phase#STARTING}
 * @param loopAlive        whether the thread that runs the projections is alive
 * @param listening        whether wake-ups come from LISTEN/NOTIFY (else the runtime polls)
 * @param wakeUps          how the runtime learns of new events, and why, for example
 *                         {@code "listening on channel events"} or {@code "polling every 1000 ms: no notify channel"}
 */
public record RuntimeStatus(String node, Phase phase, int startAttempts, Optional<String> lastStartFailure,
                            boolean loopAlive, boolean listening, String wakeUps) {

    /** Life of a runtime: created, preparing (retrying), running, stopped. */
    public enum Phase {
        NOT_STARTED, STARTING, RUNNING, STOPPED
    }

    public RuntimeStatus {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(lastStartFailure, "lastStartFailure");
        Objects.requireNonNull(wakeUps, "wakeUps");
    }

    /**
     * Whether nothing is broken beyond repair: not started yet, still preparing, or running with a live loop. A
     * stopped runtime or a dead loop thread is not live. (Readiness is the projections' business, not this.)
     */
    public boolean live() {
        return phase != Phase.STOPPED && (phase != Phase.RUNNING || loopAlive);
    }
}

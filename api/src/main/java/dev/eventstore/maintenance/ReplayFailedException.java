package dev.eventstore.maintenance;

import dev.eventstore.EventStoreException;

import java.io.Serial;

/**
 * A replay handler failed on an event and the replay was not set to continue on error. Events before it were
 * handled; the event at {@link #failedPosition()} and everything after it were not. Resume by replaying from that
 * position once the cause is fixed.
 */
public class ReplayFailedException extends EventStoreException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient ReplayResult result;
    private final long failedPosition;

    public ReplayFailedException(ReplayResult result, long failedPosition, Throwable cause) {
        super("Replay into '" + result.handler() + "' stopped at global position " + failedPosition + " after "
                + result.eventsReplayed() + " events: " + cause
                + ". Fix the handler and replay from position " + (failedPosition - 1)
                + ", or enable continue-on-error to skip failing events.", cause);
        this.result = result;
        this.failedPosition = failedPosition;
    }

    /** What the run did until it stopped. */
    public ReplayResult result() {
        return result;
    }

    /** Global position of the event the handler failed on. */
    public long failedPosition() {
        return failedPosition;
    }
}

package dev.eventstore;

import java.io.Serial;
import java.util.UUID;

/**
 * An appended event carries an event id that is already stored. Event ids are idempotency keys: a re-sent event is
 * rejected loudly rather than dropped silently, so a caller can never believe an event was written when it was not.
 * Nothing of the failed append was written.
 */
public class DuplicateEventIdException extends EventStoreException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final UUID eventId;

    public DuplicateEventIdException(UUID eventId, Throwable cause) {
        super("Event id " + (eventId == null ? "(unknown)" : eventId) + " is already stored; event ids are"
                + " idempotency keys, so this event was appended before. Nothing was written.", cause);
        this.eventId = eventId;
    }

    /** The duplicated id, when the database reported it. */
    public UUID eventId() {
        return eventId;
    }
}

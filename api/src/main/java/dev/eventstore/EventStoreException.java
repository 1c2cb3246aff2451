package dev.eventstore;

import java.io.Serial;

/** Base of every error the event store raises itself. Unchecked. */
public class EventStoreException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public EventStoreException(String message) {
        super(message);
    }

    public EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

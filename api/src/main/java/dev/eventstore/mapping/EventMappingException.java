package dev.eventstore.mapping;

import dev.eventstore.EventStoreException;

import java.io.Serial;

/**
 * A stored event cannot be turned into a domain event (unknown type or version, or a payload that does not match its
 * class), or a domain event is not one the mapper knows. The message names the type, version and aggregate.
 */
public class EventMappingException extends EventStoreException {

    @Serial
    private static final long serialVersionUID = 1L;

    public EventMappingException(String message) {
        super(message);
    }

    public EventMappingException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.eventstore.rabbitmq;

import dev.eventstore.EventStoreException;

/**
 * A batch could not be published and confirmed: the broker was unreachable, refused (nacked) a message, closed the
 * channel or did not confirm in time. The projection runtime rolls the batch's checkpoint back and retries it with
 * backoff, so nothing is skipped; messages of the batch that did reach the broker are sent again (at-least-once).
 */
public class PublishFailedException extends EventStoreException {

    private static final long serialVersionUID = 1L;

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}

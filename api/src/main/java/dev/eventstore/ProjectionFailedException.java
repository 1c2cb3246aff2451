package dev.eventstore;

import java.io.Serial;

/**
 * A projection failed while handling an event. Inline, the appending transaction has been marked rollback-only, so
 * neither the events nor any read-model change are committed; asynchronously, the batch rolls back and is retried.
 */
public class ProjectionFailedException extends EventStoreException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String projection;

    public ProjectionFailedException(String projection, PersistedEvent event, Throwable cause) {
        super("Projection '" + projection + "' failed on " + event.eventType() + " " + event.aggregateType() + "/"
                + event.aggregateId() + " v" + event.aggregateVersion() + ": " + cause
                + ". Its transaction was marked rollback-only: nothing of it is committed.", cause);
        this.projection = projection;
    }

    public String projection() {
        return projection;
    }
}

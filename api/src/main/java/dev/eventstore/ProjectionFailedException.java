package dev.eventstore;

import java.io.Serial;

/**
 * An inline projection failed while handling an appended event. The transaction has been marked rollback-only, so
 * neither the events nor any read-model change are committed.
 */
public class ProjectionFailedException extends EventStoreException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String projection;

    public ProjectionFailedException(String projection, PersistedEvent event, Throwable cause) {
        super("Projection '" + projection + "' failed on " + event.eventType() + " " + event.aggregateType() + "/"
                + event.aggregateId() + " v" + event.aggregateVersion() + ": " + cause
                + ". The transaction was marked rollback-only; nothing of this append is committed.", cause);
        this.projection = projection;
    }

    public String projection() {
        return projection;
    }
}

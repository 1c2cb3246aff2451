package dev.eventstore.async;

import dev.eventstore.PersistedEvent;

import java.sql.Connection;
import java.util.List;

/**
 * Handles a batch of events for an asynchronous projection, writing its read model through {@code connection}: the
 * runtime commits those writes together with the new checkpoint, or rolls both back. Events arrive in
 * (transaction id, position) order, so within one aggregate always in version order, and each exactly once unless a
 * batch fails and is retried (then the whole batch comes again).
 */
@FunctionalInterface
public interface AsyncProjectionHandler {

    void handle(Connection connection, List<PersistedEvent> events) throws Exception;

    /**
     * Clears the read model before a rebuild, in the rebuild's transaction: after the checkpoint row is locked (so no
     * batch is in flight) and before the checkpoint goes back to the start. Override it to allow rebuilds; an empty
     * override declares a read model that needs no clearing.
     *
     * <p>A handler that does not override it declares no reset, and {@link AsyncProjections#rebuild(String)} refuses
     * to run for it rather than replay every event onto the read model it already has.
     */
    default void reset(Connection connection) throws Exception {
        throw new UnsupportedOperationException("this handler declares no reset; override reset(Connection)");
    }
}

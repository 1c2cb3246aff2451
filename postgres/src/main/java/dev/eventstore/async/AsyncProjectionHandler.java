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

    /** Clears the read model before a rebuild, in the rebuild's transaction. Does nothing by default. */
    default void reset(Connection connection) throws Exception {
    }
}

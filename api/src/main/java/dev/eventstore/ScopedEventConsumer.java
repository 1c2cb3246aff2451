package dev.eventstore;

import java.util.Set;

/**
 * An {@link EventConsumer} interested only in some aggregate types. The replay service
 * ({@code dev.eventstore.jobs.ReplayService}) hands it only events of these types, selected in the database rather
 * than filtered after reading.
 */
public interface ScopedEventConsumer extends EventConsumer {

    /** The aggregate types this consumer wants; an empty set means all of them. */
    Set<String> aggregateTypes();

    /** Whether {@code event} belongs to one of {@link #aggregateTypes()}. */
    default boolean accepts(PersistedEvent event) {
        Set<String> types = aggregateTypes();
        return types.isEmpty() || types.contains(event.aggregateType());
    }
}

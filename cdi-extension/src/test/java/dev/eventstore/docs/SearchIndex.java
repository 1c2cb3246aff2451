package dev.eventstore.docs;

import dev.eventstore.PersistedEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Stands in for a remote search index in {@link OrderSearchProjection}: the event ids it was given. */
@ApplicationScoped
public class SearchIndex {

    private final Set<UUID> indexed = ConcurrentHashMap.newKeySet();

    public void put(PersistedEvent event) {
        indexed.add(event.eventId());
    }

    public int size() {
        return indexed.size();
    }
}

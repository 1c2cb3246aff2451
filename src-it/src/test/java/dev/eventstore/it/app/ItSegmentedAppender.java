package dev.eventstore.it.app;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.util.List;

/** Appends to many aggregates of {@link ItSegmentedProjection}'s type in one container-managed transaction. */
@Stateless
public class ItSegmentedAppender {

    @Inject
    EventStore store;

    /** One event for each aggregate, all in this call's transaction. */
    public void appendToEach(List<String> aggregateIds) {
        for (String id : aggregateIds) {
            store.append(ExpectedVersion.any(), List.of(Event.builder("ItSegmented", id, "Happened")
                    .jsonPayload("{}").build()));
        }
    }

    public void appendToEachThenThrow(List<String> aggregateIds) {
        appendToEach(aggregateIds);
        throw new IllegalStateException("rolled back after the appends");
    }
}

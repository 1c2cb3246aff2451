package dev.eventstore.jpa;

import dev.eventstore.PersistedEvent;
import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

/**
 * Base of a read-model entity that follows one aggregate. It remembers the last aggregate version applied to it, so
 * an event that is not newer is skipped: replays, retries and rebuilds never apply an event twice.
 */
@MappedSuperclass
public abstract class AggregateReadModel {

    @Column(name = "last_applied_version", nullable = false)
    private long lastAppliedVersion;

    /** The aggregate version of the last event applied, 0 before the first. */
    public long lastAppliedVersion() {
        return lastAppliedVersion;
    }

    /** Whether {@code event} has already been applied to this row (or an event after it). */
    public boolean hasApplied(PersistedEvent event) {
        return event.aggregateVersion() <= lastAppliedVersion;
    }

    void markApplied(PersistedEvent event) {
        lastAppliedVersion = event.aggregateVersion();
    }
}

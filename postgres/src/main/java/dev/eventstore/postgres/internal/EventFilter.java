package dev.eventstore.postgres.internal;

import dev.eventstore.maintenance.RetentionScope;
import dev.eventstore.query.EventQuery;
import dev.eventstore.query.EventTypePattern;
import dev.eventstore.query.TopicPattern;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The filters of a query or a retention run, in the one shape {@link EventQuerySql} renders. */
record EventFilter(List<EventTypePattern> eventTypes, List<TopicPattern> topics, List<String> aggregateTypes,
                   String aggregateId, Instant createdFrom, Instant createdBefore, String metadataContains,
                   Long positionFrom, Long positionTo, UUID eventId, String correlationId, String causationId) {

    EventFilter {
        eventTypes = List.copyOf(eventTypes);
        topics = List.copyOf(topics);
        aggregateTypes = List.copyOf(aggregateTypes);
    }

    static EventFilter of(EventQuery query) {
        return new EventFilter(query.eventTypes(), query.topics(), List.copyOf(query.aggregateTypes()),
                query.aggregateId().orElse(null), query.createdFrom().orElse(null),
                query.createdBefore().orElse(null), query.metadataContains().orElse(null),
                query.positionFrom().isPresent() ? query.positionFrom().getAsLong() : null,
                query.positionTo().isPresent() ? query.positionTo().getAsLong() : null,
                query.eventId().orElse(null), query.correlationId().orElse(null), query.causationId().orElse(null));
    }

    static EventFilter of(Instant cutoff, RetentionScope scope) {
        return new EventFilter(List.copyOf(scope.eventTypes()), List.copyOf(scope.topics()),
                List.copyOf(scope.aggregateTypes()), null, null, cutoff, null,
                null, null, null, null, null);
    }
}

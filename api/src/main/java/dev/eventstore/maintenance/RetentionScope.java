package dev.eventstore.maintenance;

import dev.eventstore.internal.StorableText;
import dev.eventstore.query.EventTypePattern;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which events a retention run may delete, besides their age: an empty set means no restriction on that field.
 *
 * @param eventTypes     exact event-type names or wildcard patterns ({@link EventTypePattern}); any may match
 * @param aggregateTypes aggregate types; any may match
 */
public record RetentionScope(Set<EventTypePattern> eventTypes, Set<String> aggregateTypes) {

    private static final RetentionScope ALL = new RetentionScope(Set.of(), Set.of());

    public RetentionScope {
        if (eventTypes == null) {
            throw new IllegalArgumentException("eventTypes must not be null; use an empty set for all event types");
        }
        if (aggregateTypes == null) {
            throw new IllegalArgumentException("aggregateTypes must not be null; use an empty set for all aggregate"
                    + " types");
        }
        for (String aggregateType : aggregateTypes) {
            if (aggregateType == null || aggregateType.isBlank()) {
                throw new IllegalArgumentException("aggregateTypes must not contain blank entries");
            }
            StorableText.require(aggregateType, "aggregateTypes");
        }
        eventTypes = Set.copyOf(eventTypes);
        aggregateTypes = Set.copyOf(aggregateTypes);
    }

    /** Every event older than the cutoff. */
    public static RetentionScope all() {
        return ALL;
    }

    /** Only events of these types (exact names or patterns). */
    public static RetentionScope eventTypes(String... eventTypes) {
        return ALL.andEventTypes(eventTypes);
    }

    /** Only events of these aggregate types. */
    public static RetentionScope aggregateTypes(String... aggregateTypes) {
        return ALL.andAggregateTypes(aggregateTypes);
    }

    /** A copy also restricted to these event types (exact names or patterns). */
    public RetentionScope andEventTypes(String... types) {
        if (types == null || types.length == 0) {
            throw new IllegalArgumentException("eventTypes must name at least one event type");
        }
        Set<EventTypePattern> patterns = new LinkedHashSet<>(eventTypes);
        for (String type : types) {
            patterns.add(EventTypePattern.of(type));
        }
        return new RetentionScope(patterns, aggregateTypes);
    }

    /** A copy also restricted to these aggregate types. */
    public RetentionScope andAggregateTypes(String... types) {
        if (types == null || types.length == 0) {
            throw new IllegalArgumentException("aggregateTypes must name at least one aggregate type");
        }
        Set<String> all = new LinkedHashSet<>(aggregateTypes);
        all.addAll(Arrays.asList(types));
        return new RetentionScope(eventTypes, all);
    }

    /** Whether this scope leaves every event to the age check. */
    public boolean isAll() {
        return eventTypes.isEmpty() && aggregateTypes.isEmpty();
    }
}

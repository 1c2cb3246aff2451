package dev.eventstore.maintenance;

import dev.eventstore.internal.StorableText;
import dev.eventstore.query.EventTypePattern;
import dev.eventstore.query.TopicPattern;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which events a retention run may delete, besides their age: an empty set means no restriction on that field. As in
 * queries, each kind narrows (AND) and the entries of one kind are alternatives (OR): a scope with event types and
 * topics deletes only events whose type matches one of the types and whose topic matches one of the topics.
 *
 * @param eventTypes     exact event-type names or wildcard patterns ({@link EventTypePattern}); any may match
 * @param aggregateTypes aggregate types; any may match
 * @param topics         exact topics or topic patterns ({@link TopicPattern}); any may match, and an event without a
 *                       topic matches none
 */
public record RetentionScope(Set<EventTypePattern> eventTypes, Set<String> aggregateTypes, Set<TopicPattern> topics) {

    private static final RetentionScope ALL = new RetentionScope(Set.of(), Set.of(), Set.of());

    public RetentionScope {
        if (eventTypes == null) {
            throw new IllegalArgumentException("eventTypes must not be null; use an empty set for all event types");
        }
        if (aggregateTypes == null) {
            throw new IllegalArgumentException("aggregateTypes must not be null; use an empty set for all aggregate"
                    + " types");
        }
        if (topics == null) {
            throw new IllegalArgumentException("topics must not be null; use an empty set for any topic");
        }
        for (String aggregateType : aggregateTypes) {
            if (aggregateType == null || aggregateType.isBlank()) {
                throw new IllegalArgumentException("aggregateTypes must not contain blank entries");
            }
            StorableText.require(aggregateType, "aggregateTypes");
        }
        eventTypes = Set.copyOf(eventTypes);
        aggregateTypes = Set.copyOf(aggregateTypes);
        topics = Set.copyOf(topics);
    }

    /** A scope without a topic restriction. */
    public RetentionScope(Set<EventTypePattern> eventTypes, Set<String> aggregateTypes) {
        this(eventTypes, aggregateTypes, Set.of());
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

    /** Only events whose topic matches one of these (exact topics or patterns). */
    public static RetentionScope topics(String... topics) {
        return ALL.andTopics(topics);
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
        return new RetentionScope(patterns, aggregateTypes, topics);
    }

    /** A copy also restricted to these topics (exact topics or patterns). */
    public RetentionScope andTopics(String... topicPatterns) {
        if (topicPatterns == null || topicPatterns.length == 0) {
            throw new IllegalArgumentException("topics must name at least one topic or pattern");
        }
        Set<TopicPattern> patterns = new LinkedHashSet<>(topics);
        for (String topic : topicPatterns) {
            patterns.add(TopicPattern.of(topic));
        }
        return new RetentionScope(eventTypes, aggregateTypes, patterns);
    }

    /** A copy also restricted to these aggregate types. */
    public RetentionScope andAggregateTypes(String... types) {
        if (types == null || types.length == 0) {
            throw new IllegalArgumentException("aggregateTypes must name at least one aggregate type");
        }
        Set<String> all = new LinkedHashSet<>(aggregateTypes);
        all.addAll(Arrays.asList(types));
        return new RetentionScope(eventTypes, all, topics);
    }

    /** Whether this scope leaves every event to the age check. */
    public boolean isAll() {
        return eventTypes.isEmpty() && aggregateTypes.isEmpty() && topics.isEmpty();
    }
}

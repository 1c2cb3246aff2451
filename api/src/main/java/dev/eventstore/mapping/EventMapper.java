package dev.eventstore.mapping;

import dev.eventstore.AggregateStream;
import dev.eventstore.Event;
import dev.eventstore.PersistedEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Turns the domain events of one {@link EventFamily} into {@link Event}s and persisted events back into domain
 * events. Implementations are generated at compile time, one per family, with typed helpers per event and version
 * ({@code toOrderPlacedV1}, {@code fromOrderPlacedV1}); the generated class is also listed for
 * {@link java.util.ServiceLoader}, which is how the CDI integration finds it for typed projection handlers and
 * observers.
 */
public interface EventMapper {

    /** The family's aggregate type, used when {@link #toEvents(String, List, MappingOption...)} is given none. */
    String aggregateType();

    /** Every event class of the family, each schema version included, in declaration order. */
    List<Class<?>> eventClasses();

    /**
     * The classes {@link #fromEvent} can return: the event classes no upcaster leads away from. A handler of an older
     * version that is always upcast would never be called.
     */
    List<Class<?>> decodedClasses();

    /** The stored type name of a domain event; {@link EventMappingException} for a class outside the family. */
    String eventTypeOf(Object domainEvent);

    /** The schema version of a domain event; {@link EventMappingException} for a class outside the family. */
    int eventVersionOf(Object domainEvent);

    /**
     * The topic a domain event's class declares with {@link EventType#topic()}, empty when it declares none;
     * {@link EventMappingException} for a class outside the family. {@link MappingOption#topic(String)} overrides it
     * per call.
     */
    default Optional<String> topicOf(Object domainEvent) {
        eventTypeOf(domainEvent);
        return Optional.empty();
    }

    /**
     * The class {@link #fromEvent} returns for a stored type and version, after upcasting; empty when the family has
     * no such event.
     */
    Optional<Class<?>> decodedClassOf(String eventType, int eventVersion);

    /** Events of the family's aggregate type, one per domain event, in order, all with the given options. */
    List<Event> toEvents(String aggregateId, List<?> domainEvents, MappingOption... options);

    /** Events of the given aggregate type, one per domain event, in order, all with the given options. */
    List<Event> toEvents(String aggregateType, String aggregateId, List<?> domainEvents, MappingOption... options);

    /**
     * The domain event stored in a persisted event, upcast to the newest version the family's upcasters reach.
     * Fails with {@link EventMappingException} naming the type, version and aggregate when the type or version is
     * unknown or the payload does not match the class.
     */
    Object fromEvent(PersistedEvent event);

    /** {@link #fromEvent} for each event, in order; an unmodifiable list. */
    default List<Object> fromEvents(List<PersistedEvent> events) {
        List<Object> domainEvents = new ArrayList<>(events.size());
        for (PersistedEvent event : events) {
            domainEvents.add(fromEvent(event));
        }
        return Collections.unmodifiableList(domainEvents);
    }

    /** The domain events of an aggregate's stream, in version order, for rebuilding its state. */
    default List<Object> fromEvents(AggregateStream stream) {
        return fromEvents(stream.events());
    }
}

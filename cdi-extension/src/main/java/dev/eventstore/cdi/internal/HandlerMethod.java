package dev.eventstore.cdi.internal;

import dev.eventstore.PersistedEvent;
import dev.eventstore.mapping.EventMapper;

import java.lang.reflect.Method;

/**
 * One {@code @EventHandler} method of a projection and what it takes: the {@link PersistedEvent} itself, or a domain
 * event decoded by its family's generated mapper, optionally followed by the {@link PersistedEvent}.
 *
 * @param mapper null for a handler of {@link PersistedEvent}
 */
public record HandlerMethod(Method method, Class<?> eventClass, EventMapper mapper, boolean withPersistedEvent) {

    static HandlerMethod ofPersistedEvents(Method method) {
        return new HandlerMethod(method, PersistedEvent.class, null, false);
    }

    static HandlerMethod ofDomainEvents(Method method, Class<?> eventClass, EventMapper mapper) {
        return new HandlerMethod(method, eventClass, mapper, method.getParameterCount() == 2);
    }

    /**
     * The arguments for this handler, or null when the event is not for it: a typed handler takes the events of its
     * family's aggregate type that decode (after upcasting) to its parameter's class.
     */
    Object[] argumentsFor(PersistedEvent event) {
        if (mapper == null) {
            return new Object[]{event};
        }
        if (EventMappers.decodedClassOf(mapper, event).filter(eventClass::equals).isEmpty()) {
            return null;
        }
        Object domainEvent = mapper.fromEvent(event);
        return withPersistedEvent ? new Object[]{domainEvent, event} : new Object[]{domainEvent};
    }
}

package dev.eventstore.cdi.internal;

import dev.eventstore.PersistedEvent;
import dev.eventstore.mapping.EventMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The domain-event classes that CDI observer methods of the application observe, and the mappers that decode them.
 * A persisted event is decoded only when someone observes its decoded class.
 */
public final class TypedObservers {

    private final Set<Class<?>> observedClasses;
    private final List<EventMapper> mappers;

    public TypedObservers(Map<Class<?>, EventMapper> mappersByObservedClass) {
        this.observedClasses = Set.copyOf(mappersByObservedClass.keySet());
        this.mappers = mappersByObservedClass.values().stream().distinct().toList();
    }

    /** The decoded form of a persisted event for each mapper of its aggregate type whose result is observed. */
    List<Object> decode(PersistedEvent event) {
        List<Object> decoded = new ArrayList<>(1);
        for (EventMapper mapper : mappers) {
            if (EventMappers.decodedClassOf(mapper, event).filter(observedClasses::contains).isPresent()) {
                decoded.add(mapper.fromEvent(event));
            }
        }
        return decoded;
    }
}

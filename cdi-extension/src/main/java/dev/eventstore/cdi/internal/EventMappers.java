package dev.eventstore.cdi.internal;

import dev.eventstore.PersistedEvent;
import dev.eventstore.mapping.EventMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The generated {@link EventMapper}s of the application, found through the {@code META-INF/services} entries the
 * annotation processor writes, in the class loader of each event class asked about: in an EAR that is the module
 * holding the events. One mapper instance per mapper class and loader, shared by all handlers and observers.
 */
public final class EventMappers {

    private final Map<ClassLoader, List<EventMapper>> byLoader = new ConcurrentHashMap<>();

    /** The mapper whose family lists this class, if any. */
    public Optional<EventMapper> mapperOf(Class<?> eventClass) {
        ClassLoader loader = eventClass.getClassLoader();
        if (loader == null || eventClass.isPrimitive() || eventClass.isArray()) {
            return Optional.empty();
        }
        return byLoader.computeIfAbsent(loader, EventMappers::load).stream()
                .filter(mapper -> mapper.eventClasses().contains(eventClass))
                .findFirst();
    }

    /**
     * The class a mapper decodes a persisted event into, after upcasting; empty when the event is not of the mapper's
     * aggregate type or not one of its events. Typed handlers and observers receive exactly the events this finds.
     */
    static Optional<Class<?>> decodedClassOf(EventMapper mapper, PersistedEvent event) {
        return mapper.aggregateType().equals(event.aggregateType())
                ? mapper.decodedClassOf(event.eventType(), event.eventVersion())
                : Optional.empty();
    }

    private static List<EventMapper> load(ClassLoader loader) {
        List<EventMapper> mappers = new ArrayList<>();
        ServiceLoader.load(EventMapper.class, loader).forEach(mappers::add);
        return List.copyOf(mappers);
    }
}

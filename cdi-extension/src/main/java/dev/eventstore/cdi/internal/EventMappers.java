package dev.eventstore.cdi.internal;

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

    private static List<EventMapper> load(ClassLoader loader) {
        List<EventMapper> mappers = new ArrayList<>();
        ServiceLoader.load(EventMapper.class, loader).forEach(mappers::add);
        return List.copyOf(mappers);
    }
}

package dev.eventstore.cdi.internal;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.ProjectionMode;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A validated {@code @Projection} bean: its name, scope of aggregate types, mode, handler methods, the
 * {@code @ProjectionReset} method that clears its read model for a rebuild, and the segments it declares.
 *
 * @param aggregateTypes empty means all
 * @param reset          empty when the bean declares none: a rebuild is then refused
 * @param segments       {@code @Projection(segments)}, 1 unless ASYNC; configuration may override it
 *                       ({@link EventStoreSettings#segments(ProjectionDefinition)})
 */
public record ProjectionDefinition(String name, Class<?> beanClass, Set<String> aggregateTypes, ProjectionMode mode,
                                   List<HandlerMethod> handlers, Optional<Method> reset, int segments) {

    public ProjectionDefinition {
        aggregateTypes = Set.copyOf(aggregateTypes);
        handlers = List.copyOf(handlers);
        Objects.requireNonNull(reset, "reset must not be null; use Optional.empty() for none");
        if (segments < 1 || (segments > 1 && mode != ProjectionMode.ASYNC)) {
            throw new IllegalArgumentException("segments must be 1, or more for an ASYNC projection; was " + segments);
        }
    }

    public boolean accepts(PersistedEvent event) {
        return aggregateTypes.isEmpty() || aggregateTypes.contains(event.aggregateType());
    }
}

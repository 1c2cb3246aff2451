package dev.eventstore.cdi.internal;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.ProjectionMode;

import java.util.List;
import java.util.Set;

/**
 * A validated {@code @Projection} bean: its name, scope of aggregate types, mode and handler methods.
 *
 * @param aggregateTypes empty means all
 */
public record ProjectionDefinition(String name, Class<?> beanClass, Set<String> aggregateTypes, ProjectionMode mode,
                                   List<HandlerMethod> handlers) {

    public ProjectionDefinition {
        aggregateTypes = Set.copyOf(aggregateTypes);
        handlers = List.copyOf(handlers);
    }

    public boolean accepts(PersistedEvent event) {
        return aggregateTypes.isEmpty() || aggregateTypes.contains(event.aggregateType());
    }
}

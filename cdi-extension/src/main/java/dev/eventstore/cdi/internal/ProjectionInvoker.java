package dev.eventstore.cdi.internal;

import dev.eventstore.PersistedEvent;
import dev.eventstore.ProjectionFailedException;
import dev.eventstore.mapping.EventMappingException;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/** Calls a projection bean's {@code @EventHandler} methods, inline or from the asynchronous runtime alike. */
final class ProjectionInvoker {

    private final BeanManager beanManager;
    private final Map<Class<?>, Bean<?>> beans;

    ProjectionInvoker(BeanManager beanManager, Map<Class<?>, Bean<?>> beans) {
        this.beanManager = beanManager;
        this.beans = Map.copyOf(beans);
    }

    void handle(ProjectionDefinition projection, PersistedEvent event) {
        Bean<?> bean = beans.get(projection.beanClass());
        CreationalContext<?> context = beanManager.createCreationalContext(bean);
        try {
            Object instance = beanManager.getReference(bean, projection.beanClass(), context);
            for (HandlerMethod handler : projection.handlers()) {
                Object[] arguments = handler.argumentsFor(event);
                if (arguments != null) {
                    handler.method().invoke(instance, arguments);
                }
            }
        } catch (InvocationTargetException e) {
            throw new ProjectionFailedException(projection.name(), event, e.getCause());
        } catch (IllegalAccessException | EventMappingException e) {
            throw new ProjectionFailedException(projection.name(), event, e);
        } finally {
            context.release();
        }
    }
}

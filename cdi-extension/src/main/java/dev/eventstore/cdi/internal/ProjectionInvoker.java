package dev.eventstore.cdi.internal;

import dev.eventstore.PersistedEvent;
import dev.eventstore.ProjectionFailedException;
import dev.eventstore.mapping.EventMappingException;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.util.Map;

/**
 * Calls a projection bean's {@code @EventHandler} methods, inline or from the asynchronous runtime alike, and its
 * {@code @ProjectionReset} method for a rebuild.
 */
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

    /** Calls the bean's {@code @ProjectionReset} method, with the rebuild transaction's connection if it takes one. */
    void reset(ProjectionDefinition projection, Connection connection) throws Exception {
        Method reset = projection.reset().orElseThrow(() -> new IllegalStateException("Projection '"
                + projection.name() + "' declares no @ProjectionReset method"));
        Bean<?> bean = beans.get(projection.beanClass());
        CreationalContext<?> context = beanManager.createCreationalContext(bean);
        try {
            Object instance = beanManager.getReference(bean, projection.beanClass(), context);
            reset.invoke(instance, reset.getParameterCount() == 0 ? new Object[0] : new Object[]{connection});
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        } finally {
            context.release();
        }
    }
}

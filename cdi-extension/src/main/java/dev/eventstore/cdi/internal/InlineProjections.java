package dev.eventstore.cdi.internal;

import dev.eventstore.AppendResult;
import dev.eventstore.PersistedEvent;
import dev.eventstore.ProjectionFailedException;
import dev.eventstore.postgres.internal.AppendListener;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

/**
 * Runs after every append, inside the appending transaction: first every matching inline projection handles each
 * event in order, then each event goes to the CDI observers of {@code PersistedEvent} (qualified with its aggregate
 * type), transactional ones only once the transaction has completed ({@link EventDelivery}). Any
 * failure marks the transaction rollback-only before it propagates, so a caller that swallows the exception still
 * cannot commit half of the work.
 */
final class InlineProjections implements AppendListener {

    private final BeanManager beanManager;
    private final List<ProjectionDefinition> projections;
    private final Map<Class<?>, Bean<?>> beans;
    private final TransactionSynchronizationRegistry transactions;
    private final EventDelivery delivery;

    InlineProjections(BeanManager beanManager, List<ProjectionDefinition> projections, Map<Class<?>, Bean<?>> beans,
                      TransactionSynchronizationRegistry transactions) {
        this.beanManager = beanManager;
        this.projections = List.copyOf(projections);
        this.beans = Map.copyOf(beans);
        this.transactions = transactions;
        this.delivery = new EventDelivery(beanManager, transactions);
    }

    @Override
    public void afterAppend(AppendResult result) {
        try {
            for (PersistedEvent event : result.events()) {
                for (ProjectionDefinition projection : projections) {
                    if (projection.accepts(event)) {
                        handle(projection, event);
                    }
                }
            }
            for (PersistedEvent event : result.events()) {
                delivery.deliver(event);
            }
        } catch (RuntimeException | Error failure) {
            transactions.setRollbackOnly();
            throw failure;
        }
    }

    private void handle(ProjectionDefinition projection, PersistedEvent event) {
        Bean<?> bean = beans.get(projection.beanClass());
        CreationalContext<?> context = beanManager.createCreationalContext(bean);
        try {
            Object instance = beanManager.getReference(bean, projection.beanClass(), context);
            for (Method handler : projection.handlers()) {
                handler.invoke(instance, event);
            }
        } catch (InvocationTargetException e) {
            throw new ProjectionFailedException(projection.name(), event, e.getCause());
        } catch (IllegalAccessException e) {
            throw new ProjectionFailedException(projection.name(), event, e);
        } finally {
            context.release();
        }
    }
}

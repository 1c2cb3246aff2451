package dev.eventstore.cdi.internal;

import dev.eventstore.AppendResult;
import dev.eventstore.PersistedEvent;
import dev.eventstore.postgres.spi.AppendListener;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.List;
import java.util.Map;

/**
 * Runs after every append, inside the appending transaction: first every matching inline projection handles each
 * event in order, then each event goes to the CDI observers of {@code PersistedEvent} and of its decoded domain event
 * (qualified with its aggregate type), transactional ones only once the transaction has completed
 * ({@link EventDelivery}). Any failure, a payload that does not decode for a typed handler or observer included,
 * marks the transaction rollback-only before it propagates, so a caller that swallows the exception still cannot
 * commit half of the work.
 */
final class InlineProjections implements AppendListener {

    private final List<ProjectionDefinition> projections;
    private final ProjectionInvoker invoker;
    private final TransactionSynchronizationRegistry transactions;
    private final EventDelivery delivery;

    InlineProjections(BeanManager beanManager, List<ProjectionDefinition> projections, Map<Class<?>, Bean<?>> beans,
                      TransactionSynchronizationRegistry transactions, TypedObservers typedObservers) {
        this.projections = List.copyOf(projections);
        this.invoker = new ProjectionInvoker(beanManager, beans);
        this.transactions = transactions;
        this.delivery = new EventDelivery(beanManager, transactions, typedObservers);
    }

    @Override
    public void afterAppend(AppendResult result) {
        try {
            for (PersistedEvent event : result.events()) {
                for (ProjectionDefinition projection : projections) {
                    if (projection.accepts(event)) {
                        invoker.handle(projection, event);
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

}

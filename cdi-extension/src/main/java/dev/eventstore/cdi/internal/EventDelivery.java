package dev.eventstore.cdi.internal;

import dev.eventstore.PersistedEvent;
import dev.eventstore.cdi.AggregateType;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.EventContext;
import jakarta.enterprise.inject.spi.EventMetadata;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Delivers appended events to CDI observers. Plain observers are called at once, inside the transaction. Transactional
 * observers ({@code during = AFTER_SUCCESS} and the other phases) are called through ONE synchronization per
 * transaction, in event order: letting CDI register a synchronization per event would hand them to the transaction
 * manager, and Narayana (WildFly's) runs after-completion callbacks in reverse registration order.
 */
final class EventDelivery {

    private static final System.Logger LOG = System.getLogger(EventDelivery.class.getName());
    private static final Object RESOURCE_KEY = EventDelivery.class.getName() + ".pending";

    private final BeanManager beanManager;
    private final TransactionSynchronizationRegistry transactions;
    private final TypedObservers typedObservers;

    EventDelivery(BeanManager beanManager, TransactionSynchronizationRegistry transactions,
                  TypedObservers typedObservers) {
        this.beanManager = beanManager;
        this.transactions = transactions;
        this.typedObservers = typedObservers;
    }

    /** Fires the persisted event, then its decoded domain event when that is observed; both with the same qualifier. */
    void deliver(PersistedEvent event) {
        Annotation qualifier = AggregateType.Literal.of(event.aggregateType());
        deliver(event, qualifier);
        for (Object domainEvent : typedObservers.decode(event)) {
            deliver(domainEvent, qualifier);
        }
    }

    private void deliver(Object event, Annotation qualifier) {
        List<ObserverMethod<? super Object>> observers =
                new ArrayList<>(beanManager.resolveObserverMethods(event, qualifier));
        observers.sort(Comparator.comparingInt(ObserverMethod::getPriority));
        EventContext<Object> context = new Context(event, qualifier);
        for (ObserverMethod<? super Object> observer : observers) {
            if (observer.isAsync()) {
                continue;
            }
            if (observer.getTransactionPhase() == TransactionPhase.IN_PROGRESS) {
                notifyObserver(observer, context);
            } else {
                pending().add(new Pending(observer, context));
            }
        }
    }

    private PendingNotifications pending() {
        PendingNotifications pending = (PendingNotifications) transactions.getResource(RESOURCE_KEY);
        if (pending == null) {
            pending = new PendingNotifications();
            transactions.putResource(RESOURCE_KEY, pending);
            transactions.registerInterposedSynchronization(pending);
        }
        return pending;
    }

    private static void notifyObserver(ObserverMethod<? super Object> observer, EventContext<Object> context) {
        observer.notify(context);
    }

    private record Pending(ObserverMethod<? super Object> observer, EventContext<Object> context) {
        boolean dueAfter(int status) {
            return switch (observer.getTransactionPhase()) {
                case AFTER_COMPLETION -> true;
                case AFTER_SUCCESS -> status == Status.STATUS_COMMITTED;
                case AFTER_FAILURE -> status != Status.STATUS_COMMITTED;
                default -> false;
            };
        }
    }

    /** The transactional notifications of one transaction, in the order the events were appended. */
    private static final class PendingNotifications implements Synchronization {
        private final List<Pending> pending = new ArrayList<>();

        void add(Pending notification) {
            pending.add(notification);
        }

        @Override
        public void beforeCompletion() {
            for (Pending notification : pending) {
                if (notification.observer().getTransactionPhase() == TransactionPhase.BEFORE_COMPLETION) {
                    notifyObserver(notification.observer(), notification.context());
                }
            }
        }

        @Override
        public void afterCompletion(int status) {
            for (Pending notification : pending) {
                if (notification.dueAfter(status)) {
                    try {
                        notifyObserver(notification.observer(), notification.context());
                    } catch (RuntimeException e) {
                        // The transaction is over; one failing observer must not keep the others from their events.
                        LOG.log(System.Logger.Level.ERROR, "After-completion observer " + notification.observer()
                                + " failed on " + notification.context().getEvent(), e);
                    }
                }
            }
        }
    }

    private record Context(Object event, Annotation qualifier) implements EventContext<Object>, EventMetadata {
        @Override
        public Object getEvent() {
            return event;
        }

        @Override
        public EventMetadata getMetadata() {
            return this;
        }

        @Override
        public Set<Annotation> getQualifiers() {
            return Set.of(qualifier);
        }

        @Override
        public InjectionPoint getInjectionPoint() {
            return null;
        }

        @Override
        public Type getType() {
            return event.getClass();
        }
    }
}

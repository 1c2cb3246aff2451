package dev.eventstore.cdi;

import dev.eventstore.EventStore;
import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.cdi.internal.ContainerEventStores;
import dev.eventstore.cdi.internal.EventMappers;
import dev.eventstore.cdi.internal.ProjectionValidator;
import dev.eventstore.cdi.internal.TypedObservers;
import dev.eventstore.mapping.EventMapper;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.enterprise.inject.spi.ProcessObserverMethod;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The CDI portable extension of the event store. Its observers read as the deployment rules:
 * <ol>
 *   <li>every type annotated {@code @Projection} is noted;</li>
 *   <li>every such type that became a managed bean is validated (name, scope, handler methods, unique names; a
 *       handler taking a domain event needs a generated mapper that lists its class; at most one
 *       {@code @ProjectionReset} method, on an {@code ASYNC} projection only);</li>
 *   <li>every observer method of a domain-event class is noted, so the store decodes and fires those events;</li>
 *   <li>an {@code @ApplicationScoped} {@link EventStore} bean is added, joining the current JTA transaction and running
 *       the inline projections after each append;</li>
 *   <li>an {@link AsyncProjections} bean runs the {@code ASYNC} projections, started with the application, batches in
 *       JTA transactions on the container's managed threads; it rebuilds only those that declare a reset;</li>
 *   <li>all problems are reported at once, failing the deployment with messages that name each bean class.</li>
 * </ol>
 */
public class EventStoreExtension implements Extension {

    private final Set<Class<?>> annotatedProjections = new LinkedHashSet<>();
    private final Map<Class<?>, Bean<?>> projectionBeans = new HashMap<>();
    private final EventMappers mappers = new EventMappers();
    private final ProjectionValidator validator = new ProjectionValidator(mappers);
    private final Map<Class<?>, EventMapper> typedObservers = new ConcurrentHashMap<>();
    private static final System.Logger LOG = System.getLogger(EventStoreExtension.class.getName());

    private final AtomicBoolean asyncStarted = new AtomicBoolean();

    <T> void noteProjection(@Observes @WithAnnotations(Projection.class) ProcessAnnotatedType<T> event) {
        if (event.getAnnotatedType().isAnnotationPresent(Projection.class)) {
            annotatedProjections.add(event.getAnnotatedType().getJavaClass());
        }
    }

    <T> void validateProjectionBean(@Observes ProcessManagedBean<T> event) {
        AnnotatedType<T> type = event.getAnnotatedBeanClass();
        if (type.isAnnotationPresent(Projection.class)) {
            projectionBeans.put(type.getJavaClass(), event.getBean());
            validator.check(type, event.getBean().getScope());
        }
    }

    /** Observers of a domain-event class get the decoded events of its family after each append. */
    <T, X> void noteTypedObserver(@Observes ProcessObserverMethod<T, X> event) {
        if (event.getObserverMethod().getObservedType() instanceof Class<?> observed
                && observed != PersistedEvent.class) {
            mappers.mapperOf(observed).ifPresent(mapper -> typedObservers.put(observed, mapper));
        }
    }

    void addEventStore(@Observes AfterBeanDiscovery event, BeanManager beanManager) {
        event.addBean()
                .beanClass(EventStoreExtension.class)
                .types(EventStore.class, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(ApplicationScoped.class)
                .createWith(context -> {
                    EventStore store = ContainerEventStores.create(beanManager, validator.definitions(),
                            projectionBeans, new TypedObservers(typedObservers));
                    // The first use of the store happens in a component: a context that certainly has java:comp.
                    startAsyncProjections(beanManager);
                    return store;
                });
    }

    void addAsyncProjections(@Observes AfterBeanDiscovery event, BeanManager beanManager) {
        event.<AsyncProjections>addBean()
                .beanClass(EventStoreExtension.class)
                .types(AsyncProjections.class, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(Singleton.class)
                .createWith(context -> ContainerEventStores.createAsync(beanManager, validator.definitions(),
                        projectionBeans))
                .destroyWith((projections, context) -> projections.close());
    }

    /** Starts the asynchronous projections once the application is up. */
    void startAsyncProjections(@Observes @Initialized(ApplicationScoped.class) Object started,
                               BeanManager beanManager) {
        startAsyncProjections(beanManager);
    }

    /**
     * Starts them unless already started. Tried when the application starts and again at the first use of the
     * store: WildFly announces an EAR once, at EAR level, where component resources cannot be looked up yet.
     */
    private void startAsyncProjections(BeanManager beanManager) {
        boolean anyAsync = validator.definitions().stream().anyMatch(p -> p.mode() == ProjectionMode.ASYNC);
        if (!anyAsync || !asyncStarted.compareAndSet(false, true)) {
            return;
        }
        try {
            beanManager.createInstance().select(AsyncProjections.class).get().start();
        } catch (RuntimeException e) {
            asyncStarted.set(false);
            LOG.log(System.Logger.Level.INFO, "Asynchronous projections not started in this context (" + e
                    + "); they start at the first use of the EventStore, or inject AsyncProjections and call start()");
        }
    }

    void reportProblems(@Observes AfterDeploymentValidation event) {
        for (Class<?> type : annotatedProjections) {
            if (!projectionBeans.containsKey(type)) {
                event.addDeploymentProblem(new DeploymentException("@Projection " + type.getName()
                        + ": is not a CDI bean; make it a concrete class with @ApplicationScoped, @Dependent or"
                        + " @Singleton"));
            }
        }
        validator.problems().forEach(problem -> event.addDeploymentProblem(new DeploymentException(problem)));
    }
}

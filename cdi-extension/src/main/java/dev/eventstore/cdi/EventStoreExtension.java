package dev.eventstore.cdi;

import dev.eventstore.EventStore;
import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.cdi.internal.ConfiguredRuntimes;
import dev.eventstore.cdi.internal.ContainerEventStores;
import dev.eventstore.cdi.internal.ContainerStartup;
import dev.eventstore.cdi.internal.StoreHealth;
import dev.eventstore.cdi.internal.EventMappers;
import dev.eventstore.cdi.internal.ProjectionValidator;
import dev.eventstore.cdi.internal.TypedObservers;
import dev.eventstore.mapping.EventMapper;
import dev.eventstore.projection.Projection;
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

/**
 * The CDI portable extension of the event store. Its observers read as the deployment rules:
 * <ol>
 *   <li>every type annotated {@code @Projection} is noted;</li>
 *   <li>every such type that became a managed bean is validated (name, scope, handler methods, unique names; a
 *       handler taking a domain event needs a generated mapper that lists its class; at most one
 *       {@code @ProjectionReset} method, on an {@code ASYNC} projection only; segments from 1 to the runtime's
 *       maximum, more than one on an {@code ASYNC} projection only);</li>
 *   <li>every observer method of a domain-event class is noted, so the store decodes and fires those events;</li>
 *   <li>an {@code @ApplicationScoped} {@link EventStore} bean is added, joining the current JTA transaction and running
 *       the inline projections after each append;</li>
 *   <li>an {@link AsyncProjections} bean runs the {@code ASYNC} projections, batches in JTA transactions on the
 *       container's managed threads; it rebuilds only those that declare a reset;</li>
 *   <li>libraries beside the extension may add asynchronous projections from configuration
 *       ({@link dev.eventstore.cdi.spi.ConfiguredProjectionProvider}, such as eventstore-rabbitmq's publisher): each
 *       runs the same way, in a runtime of its own;</li>
 *   <li>all problems are reported at once, failing the deployment with messages that name each bean class, and
 *       every invalid configuration value with its key and what it accepts (including each projection's
 *       {@code eventstore.projection.<name>.segments});</li>
 *   <li>when the application starts, on every node: the datasource must be PostgreSQL (else the deployment fails),
 *       the asynchronous projections start, their meters are bound to a Micrometer registry bean if there is one,
 *       and the readiness and liveness checks ({@code dev.eventstore.cdi.health}) learn what to watch.</li>
 * </ol>
 */
public class EventStoreExtension implements Extension {

    private final Set<Class<?>> annotatedProjections = new LinkedHashSet<>();
    private final Map<Class<?>, Bean<?>> projectionBeans = new HashMap<>();
    private final EventMappers mappers = new EventMappers();
    private final ProjectionValidator validator = new ProjectionValidator(mappers);
    private final Map<Class<?>, EventMapper> typedObservers = new ConcurrentHashMap<>();

    private final ContainerStartup startup = new ContainerStartup(validator::definitions);

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
                    startup.start(beanManager, "the first use of the EventStore");
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

    /**
     * The runtimes of the projections that libraries add from configuration ({@code dev.eventstore.cdi.spi}), one
     * each; read at deployment validation, so the bean is always there and empty when nothing is configured.
     */
    void addConfiguredProjections(@Observes AfterBeanDiscovery event, BeanManager beanManager) {
        event.<ConfiguredRuntimes>addBean()
                .beanClass(EventStoreExtension.class)
                .types(ConfiguredRuntimes.class, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(Singleton.class)
                .createWith(context -> ContainerEventStores.createConfigured(beanManager, startup.configured()))
                .destroyWith((runtimes, context) -> runtimes.close());
    }

    /** What the readiness and liveness checks ({@code dev.eventstore.cdi.health}) report. */
    void addHealth(@Observes AfterBeanDiscovery event) {
        event.<StoreHealth>addBean()
                .beanClass(EventStoreExtension.class)
                .types(StoreHealth.class, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(Singleton.class)
                .createWith(context -> startup.health());
    }

    /**
     * Starts the store on every node when the application starts, whether or not it ever appends. Observed for the
     * application and for each module: WildFly announces an EAR at EAR level, where component resources may not be
     * looked up yet, and then each web module.
     */
    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object started,
                                 BeanManager beanManager) {
        startup.start(beanManager, "application start");
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
        startup.readConfiguration().ifPresent(problem -> event.addDeploymentProblem(new DeploymentException(problem)));
    }
}

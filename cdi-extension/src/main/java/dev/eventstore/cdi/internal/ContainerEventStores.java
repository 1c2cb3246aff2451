package dev.eventstore.cdi.internal;

import dev.eventstore.EventStore;
import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjectionHandler;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.cdi.EventStoreDataSource;
import dev.eventstore.cdi.spi.ConfiguredProjection;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.postgres.spi.AppendListener;
import dev.eventstore.projection.ProjectionMode;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.lang.annotation.Annotation;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * Builds the injectable {@link EventStore}: the PostgreSQL store on the application's JTA datasource that runs
 * the inline projections and fires CDI events after each append, logging like the plain-Java store. Every collaborator is found the same way: a CDI
 * bean the application provides wins, otherwise the standard JNDI name.
 */
public final class ContainerEventStores {

    static final String TRANSACTION_REGISTRY_JNDI = "java:comp/TransactionSynchronizationRegistry";
    static final String USER_TRANSACTION_JNDI = "java:comp/UserTransaction";
    static final String THREAD_FACTORY_JNDI = "java:comp/DefaultManagedThreadFactory";
    /**
     * Global names of the same resources, tried where {@code java:comp} is not available: an EAR's application-level
     * start in WildFly has no component naming context. WildFly's names, then Payara's.
     */
    static final List<String> GLOBAL_TRANSACTION_REGISTRY = List.of("java:jboss/TransactionSynchronizationRegistry");
    static final List<String> GLOBAL_USER_TRANSACTION = List.of("java:jboss/UserTransaction");
    static final List<String> GLOBAL_THREAD_FACTORY = List.of("java:jboss/ee/concurrency/factory/default",
            "concurrent/__defaultManagedThreadFactory");

    private static final System.Logger LOG = System.getLogger(ContainerEventStores.class.getName());

    private ContainerEventStores() {
    }

    public static EventStore create(BeanManager beanManager, List<ProjectionDefinition> projections,
                                    Map<Class<?>, Bean<?>> projectionBeans, TypedObservers typedObservers) {
        EventStoreSettings settings = EventStoreSettings.resolve();
        StoreConfig config = storeConfig(beanManager, settings);
        DataSource dataSource = dataSource(beanManager, settings);
        TransactionSynchronizationRegistry transactions = bean(beanManager, TransactionSynchronizationRegistry.class)
                .or(() -> optionalJndi(TRANSACTION_REGISTRY_JNDI, TransactionSynchronizationRegistry.class))
                .or(() -> firstJndi(GLOBAL_TRANSACTION_REGISTRY, TransactionSynchronizationRegistry.class))
                .orElseGet(() -> jndi(TRANSACTION_REGISTRY_JNDI, TransactionSynchronizationRegistry.class,
                        "the JTA TransactionSynchronizationRegistry"));
        List<ProjectionDefinition> inline = projections.stream()
                .filter(projection -> projection.mode() == ProjectionMode.INLINE)
                .toList();
        AppendListener listener = new InlineProjections(beanManager, inline, projectionBeans, transactions,
                typedObservers);
        if (config.notifyChannel().isPresent()
                && settings.notifyMode().resolve(dataSource) == NotifyMode.AFTER_COMMIT) {
            AppendListener notifier = new AfterCommitNotifier(dataSource, transactions,
                    config.notifyChannel().get().name(), threads(beanManager));
            AppendListener projectionsAndEvents = listener;
            listener = result -> {
                projectionsAndEvents.afterAppend(result);
                notifier.afterAppend(result);
            };
            LOG.log(System.Logger.Level.INFO, "Appends notify channel " + config.notifyChannel().get().name()
                    + " after commit, from outside the transaction (" + EventStoreSettings.NOTIFY_MODE + "="
                    + settings.notifyMode() + "), so two-phase commits can prepare");
            config = config.withoutNotifications();
        }
        return PostgresEventStore.create(config).on(new JtaConnectionAccess(dataSource, transactions), listener);
    }

    /**
     * The runtime of the {@code ASYNC} projections: batches in JTA transactions on the store's datasource, threads
     * from the container's ManagedThreadFactory, each event handed to the bean's handler methods.
     */
    public static AsyncProjections createAsync(BeanManager beanManager, List<ProjectionDefinition> projections,
                                               Map<Class<?>, Bean<?>> projectionBeans) {
        EventStoreSettings settings = EventStoreSettings.resolve(projections);
        AsyncProjections.Builder builder = runtime(beanManager, settings);
        ProjectionInvoker invoker = new ProjectionInvoker(beanManager, projectionBeans);
        for (ProjectionDefinition projection : projections) {
            if (projection.mode() == ProjectionMode.ASYNC) {
                int segments = settings.segments(projection);
                builder.register(projection.name(), projection.aggregateTypes(), asyncHandler(invoker, projection))
                        .segments(projection.name(), segments);
                if (segments != projection.segments()) {
                    LOG.log(System.Logger.Level.INFO, "Projection " + projection.name() + " runs with " + segments
                            + " segment(s) as " + EventStoreSettings.segmentsKey(projection.name()) + " says ("
                            + projection.beanClass().getName() + " declares " + projection.segments() + ")");
                }
            }
        }
        return builder.build();
    }

    /**
     * One runtime per projection added from configuration, set up as {@link #createAsync}'s, the projection then
     * registering itself (and choosing its batch size and failure policy).
     */
    public static ConfiguredRuntimes createConfigured(BeanManager beanManager, List<ConfiguredProjection> projections) {
        EventStoreSettings settings = EventStoreSettings.resolve();
        StoreConfig config = storeConfig(beanManager, settings);
        List<AsyncProjections> runtimes = new ArrayList<>();
        List<AutoCloseable> resources = new ArrayList<>();
        for (ConfiguredProjection projection : projections) {
            AsyncProjections.Builder builder = runtime(beanManager, settings);
            resources.add(projection.registerWith(builder, config));
            runtimes.add(builder.build());
        }
        return new ConfiguredRuntimes(runtimes, resources);
    }

    /**
     * A runtime builder with batches in JTA transactions on the store's datasource, threads from the container, this
     * node's name and the {@code eventstore.async.*} settings.
     */
    private static AsyncProjections.Builder runtime(BeanManager beanManager, EventStoreSettings settings) {
        DataSource dataSource = dataSource(beanManager, settings);
        UserTransaction transaction = bean(beanManager, UserTransaction.class)
                .or(() -> optionalJndi(USER_TRANSACTION_JNDI, UserTransaction.class))
                .or(() -> firstJndi(GLOBAL_USER_TRANSACTION, UserTransaction.class))
                .orElseGet(() -> jndi(USER_TRANSACTION_JNDI, UserTransaction.class, "the JTA UserTransaction"));
        return AsyncProjections.builder(dataSource, storeConfig(beanManager, settings))
                .transactions(new JtaBatchTransactions(dataSource, transaction))
                .threads(threads(beanManager))
                .node(settings.node())
                .batchSize(settings.async().batchSize())
                .pollInterval(settings.async().pollInterval())
                .lease(settings.async().lease())
                .maxFailures(settings.async().maxFailures())
                .backoff(settings.async().backoffInitial(), settings.async().backoffMax());
    }

    /**
     * Hands each event to the bean's handler methods. Only a bean with a {@code @ProjectionReset} method gets a
     * handler that overrides {@code reset}: the runtime refuses to rebuild the others.
     */
    private static AsyncProjectionHandler asyncHandler(ProjectionInvoker invoker, ProjectionDefinition projection) {
        AsyncProjectionHandler handler = (connection, events) -> {
            for (PersistedEvent event : events) {
                invoker.handle(projection, event);
            }
        };
        if (projection.reset().isEmpty()) {
            return handler;
        }
        return new AsyncProjectionHandler() {
            @Override
            public void handle(Connection connection, List<PersistedEvent> events) throws Exception {
                handler.handle(connection, events);
            }

            @Override
            public void reset(Connection connection) throws Exception {
                invoker.reset(projection, connection);
            }
        };
    }

    /** The container's ManagedThreadFactory (a bean, else the default one), else plain daemon threads. */
    private static ThreadFactory threads(BeanManager beanManager) {
        return bean(beanManager, ManagedThreadFactory.class).<ThreadFactory>map(f -> f)
                .or(() -> optionalJndi(THREAD_FACTORY_JNDI, ThreadFactory.class))
                .or(() -> firstJndi(GLOBAL_THREAD_FACTORY, ThreadFactory.class))
                .orElse(task -> {
                    Thread thread = new Thread(task);
                    thread.setDaemon(true);
                    return thread;
                });
    }

    private static StoreConfig storeConfig(BeanManager beanManager, EventStoreSettings settings) {
        return bean(beanManager, StoreConfig.class).orElse(settings.storeConfig());
    }

    static DataSource dataSource(BeanManager beanManager, EventStoreSettings settings) {
        return bean(beanManager, DataSource.class, EventStoreDataSource.Literal.INSTANCE)
                .orElseGet(() -> jndi(settings.dataSourceJndiName(), DataSource.class,
                        "the event store's datasource (set eventstore.datasource, or produce an"
                                + " @EventStoreDataSource DataSource)"));
    }

    private static <T> Optional<T> firstJndi(List<String> names, Class<T> type) {
        for (String name : names) {
            Optional<T> found = optionalJndi(name, type);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static <T> Optional<T> optionalJndi(String name, Class<T> type) {
        try {
            return Optional.of(type.cast(new InitialContext().lookup(name)));
        } catch (NamingException | ClassCastException e) {
            return Optional.empty();
        }
    }

    private static <T> Optional<T> bean(BeanManager beanManager, Class<T> type, Annotation... qualifiers) {
        Instance<T> candidates = beanManager.createInstance().select(type, qualifiers);
        return candidates.isResolvable() ? Optional.of(candidates.get()) : Optional.empty();
    }

    private static <T> T jndi(String name, Class<T> type, String what) {
        try {
            return type.cast(new InitialContext().lookup(name));
        } catch (NamingException | ClassCastException e) {
            throw new IllegalStateException("Cannot find " + what + " at JNDI name " + name + ": " + e, e);
        }
    }
}

package dev.eventstore.cdi.internal;

import dev.eventstore.async.AsyncProjections;
import dev.eventstore.cdi.spi.ConfiguredProjection;
import dev.eventstore.jobs.MetricsBinding;
import dev.eventstore.projection.ProjectionMode;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What happens when the application starts, on every node: the configuration is read (invalid values fail the
 * deployment), the datasource is checked to be PostgreSQL (another database fails the deployment, naming the setting
 * to change), the asynchronous projections start, those of the {@code @Projection} beans and those that libraries
 * add from configuration (retrying on their own while the database is unreachable or the tables are missing), their
 * meters are bound when a Micrometer registry is available, and the health checks learn what to watch.
 */
public final class ContainerStartup {

    private static final System.Logger LOG = System.getLogger(ContainerStartup.class.getName());

    private final Supplier<List<ProjectionDefinition>> projections;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile EventStoreSettings settings;
    private volatile StoreHealth health;
    private volatile List<ConfiguredProjection> configured = List.of();

    /** @param projections the deployment's projections, known once bean discovery is over */
    public ContainerStartup(Supplier<List<ProjectionDefinition>> projections) {
        this.projections = projections;
    }

    /**
     * Reads and checks the configuration, at deployment validation.
     *
     * @return the problem, naming every invalid key and what it accepts; empty when the configuration is valid
     */
    public Optional<String> readConfiguration() {
        Function<String, Optional<String>> config = EventStoreSettings.configLookup();
        List<String> problems = new ArrayList<>();
        EventStoreSettings resolved = EventStoreSettings.from(config, projections.get(), problems);
        Map<String, Class<?>> annotated = new HashMap<>();
        projections.get().forEach(projection -> annotated.put(projection.name(), projection.beanClass()));
        List<ConfiguredProjection> fromConfiguration = ConfiguredProjections.read(new ConfigReader(config, problems),
                annotated);
        try {
            EventStoreSettings.failOn(problems);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        settings = resolved;
        configured = fromConfiguration;
        health = new StoreHealth(resolved.storeConfig(), hasAsyncProjections(), resolved.health().maxLag(),
                configured.stream().map(ConfiguredProjection::name).toList());
        return Optional.empty();
    }

    /** The projections added from configuration, known once {@link #readConfiguration()} succeeded. */
    public List<ConfiguredProjection> configured() {
        return configured;
    }

    /**
     * What the health checks report. Reads the configuration first if nobody has yet: another extension (the
     * server's health support) may ask for the checks at deployment validation before this one has checked it.
     *
     * @throws IllegalArgumentException when the configuration is invalid (the deployment fails on it anyway)
     */
    public StoreHealth health() {
        StoreHealth current = health;
        if (current == null) {
            readConfiguration().ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
            current = health;
        }
        return current;
    }

    /**
     * Starts once. Where the server gives this context no component naming environment (an EAR's application-level
     * start event in WildFly), the lookups fail: the start is left for the next context, a module's start or the first
     * use of the store, and logged at INFO.
     *
     * @throws IllegalStateException when the datasource is not PostgreSQL; fails the deployment at application start
     */
    public void start(BeanManager beanManager, String when) {
        if (settings == null || !started.compareAndSet(false, true)) {
            return;
        }
        DataSource dataSource;
        try {
            dataSource = ContainerEventStores.dataSource(beanManager, settings);
        } catch (IllegalStateException e) {
            started.set(false);
            String why = "the event store could not start at " + when + " (" + e.getMessage() + "). It starts in the"
                    + " next module's context (a web module) or at its first use. An EAR without web module starts"
                    + " at deployment only when " + EventStoreSettings.DATASOURCE + " is the datasource's global JNDI"
                    + " name (such as java:jboss/datasources/EventStoreDS): an EAR's start has no java:comp";
            health.notStarted(why);
            LOG.log(System.Logger.Level.INFO, why);
            return;
        }
        try {
            requirePostgreSql(dataSource, settings.dataSourceJndiName());
        } catch (IllegalStateException e) {
            started.set(false);
            throw e;
        }
        Optional<AsyncProjections> async = Optional.empty();
        List<AsyncProjections> fromConfiguration = List.of();
        try {
            if (hasAsyncProjections()) {
                async = Optional.of(beanManager.createInstance().select(AsyncProjections.class).get());
            }
            if (!configured.isEmpty()) {
                fromConfiguration = beanManager.createInstance().select(ConfiguredRuntimes.class).get().runtimes();
            }
        } catch (RuntimeException e) {
            started.set(false);
            LOG.log(System.Logger.Level.INFO, "Asynchronous projections not started at " + when + " (" + e
                    + "); they start in the next module's context or at the first use of the EventStore");
            return;
        }
        async.ifPresent(runtime -> {
            runtime.start();
            bindMeters(beanManager, runtime);
        });
        for (AsyncProjections runtime : fromConfiguration) {
            runtime.start();
            bindMeters(beanManager, runtime);
        }
        health.started(dataSource, async, fromConfiguration);
    }

    /**
     * A datasource that is not PostgreSQL (a stock WildFly's default is H2) is a setting to change, not something to
     * retry. An unreachable database is left to the retries and the readiness check.
     */
    static void requirePostgreSql(DataSource dataSource, String jndiName) {
        String product;
        String version;
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            product = metaData.getDatabaseProductName();
            version = metaData.getDatabaseProductVersion();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "The event store's datasource " + jndiName + " cannot be reached"
                    + " yet (" + e.getMessage() + "); the store retries, and /health/ready reports it DOWN until then");
            return;
        }
        if (!"PostgreSQL".equalsIgnoreCase(product)) {
            throw new IllegalStateException("The event store's datasource " + jndiName + " is " + product + " "
                    + version + ", not PostgreSQL. Set " + EventStoreSettings.DATASOURCE + " to the JNDI name of a"
                    + " PostgreSQL datasource (a stock WildFly's java:comp/DefaultDataSource is the H2 ExampleDS), or"
                    + " produce an @EventStoreDataSource DataSource.");
        }
    }

    private static void bindMeters(BeanManager beanManager, AsyncProjections async) {
        if (!MetricsBinding.micrometerAvailable()) {
            return;
        }
        try {
            Instance<Object> registries = beanManager.createInstance().select(meterRegistryType());
            if (registries.isResolvable() && MetricsBinding.bindIfAvailable(registries.get(), async)) {
                LOG.log(System.Logger.Level.INFO, "Projection meters bound to the application's MeterRegistry");
            }
        } catch (RuntimeException | ClassNotFoundException e) {
            LOG.log(System.Logger.Level.WARNING, "Projection meters not bound: " + e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<Object> meterRegistryType() throws ClassNotFoundException {
        return (Class<Object>) Class.forName("io.micrometer.core.instrument.MeterRegistry", false,
                ContainerStartup.class.getClassLoader());
    }

    private boolean hasAsyncProjections() {
        return projections.get().stream().anyMatch(p -> p.mode() == ProjectionMode.ASYNC);
    }
}

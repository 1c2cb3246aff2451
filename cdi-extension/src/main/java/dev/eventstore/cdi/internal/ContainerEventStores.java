package dev.eventstore.cdi.internal;

import dev.eventstore.EventStore;
import dev.eventstore.cdi.EventStoreDataSource;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.postgres.internal.EventLogSql;
import dev.eventstore.postgres.internal.JdbcEventStore;
import dev.eventstore.projection.ProjectionMode;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.transaction.TransactionSynchronizationRegistry;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the injectable {@link EventStore}: a {@link JdbcEventStore} on the application's JTA datasource that runs
 * the inline projections and fires CDI events after each append. Every collaborator is found the same way: a CDI
 * bean the application provides wins, otherwise the standard JNDI name.
 */
public final class ContainerEventStores {

    static final String TRANSACTION_REGISTRY_JNDI = "java:comp/TransactionSynchronizationRegistry";

    private ContainerEventStores() {
    }

    public static EventStore create(BeanManager beanManager, List<ProjectionDefinition> projections,
                                    Map<Class<?>, Bean<?>> projectionBeans) {
        EventStoreSettings settings = EventStoreSettings.resolve();
        StoreConfig config = bean(beanManager, StoreConfig.class).orElse(settings.storeConfig());
        DataSource dataSource = bean(beanManager, DataSource.class, EventStoreDataSource.Literal.INSTANCE)
                .orElseGet(() -> jndi(settings.dataSourceJndiName(), DataSource.class,
                        "the event store's datasource (set eventstore.datasource, or produce an"
                                + " @EventStoreDataSource DataSource)"));
        TransactionSynchronizationRegistry transactions = bean(beanManager, TransactionSynchronizationRegistry.class)
                .orElseGet(() -> jndi(TRANSACTION_REGISTRY_JNDI, TransactionSynchronizationRegistry.class,
                        "the JTA TransactionSynchronizationRegistry"));
        List<ProjectionDefinition> inline = projections.stream()
                .filter(projection -> projection.mode() == ProjectionMode.INLINE)
                .toList();
        return new JdbcEventStore(new EventLogSql(config), new JtaConnectionAccess(dataSource, transactions),
                new InlineProjections(beanManager, inline, projectionBeans, transactions));
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

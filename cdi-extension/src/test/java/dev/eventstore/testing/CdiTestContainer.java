package dev.eventstore.testing;

import dev.eventstore.cdi.EventStoreDataSource;
import dev.eventstore.cdi.EventStoreExtension;
import dev.eventstore.postgres.StoreConfig;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import javax.sql.DataSource;
import java.util.List;

/**
 * Boots Weld SE the way an application server would run the event store: our extension, Narayana's CDI integration
 * ({@code @Transactional}, TransactionManager and registry beans), Weld told about Narayana's transactions, and the
 * given enlisting datasource as {@code @EventStoreDataSource}. Only the listed bean classes are deployed.
 */
public final class CdiTestContainer {

    private CdiTestContainer() {
    }

    public static WeldContainer start(DataSource dataSource, StoreConfig config, Class<?>... beanClasses) {
        return start(dataSource, config, List.of(), beanClasses);
    }

    /** As {@link #start(DataSource, StoreConfig, Class[])}, with more extensions, for example supplying JPA. */
    public static WeldContainer start(DataSource dataSource, StoreConfig config, List<Extension> extensions,
                                      Class<?>... beanClasses) {
        Weld weld = new Weld()
                .containerId("eventstore-test-" + System.nanoTime())
                .disableDiscovery()
                .addExtension(new EventStoreExtension())
                .addExtension(new com.arjuna.ats.jta.cdi.TransactionExtension())
                .addExtension(new Resources(dataSource, config))
                .addServices(new NarayanaTransactionServices())
                .addBeanClasses(beanClasses)
                .property("org.jboss.weld.construction.relaxed", false);
        extensions.forEach(weld::addExtension);
        return weld.initialize();
    }

    /** Supplies the datasource and store configuration as beans, as an application's producers would. */
    private static final class Resources implements Extension {
        private final DataSource dataSource;
        private final StoreConfig config;

        Resources(DataSource dataSource, StoreConfig config) {
            this.dataSource = dataSource;
            this.config = config;
        }

        void register(@Observes AfterBeanDiscovery event) {
            event.addBean().types(DataSource.class, Object.class)
                    .qualifiers(EventStoreDataSource.Literal.INSTANCE)
                    .createWith(context -> dataSource);
            event.addBean().types(StoreConfig.class, Object.class)
                    .createWith(context -> config);
        }
    }
}

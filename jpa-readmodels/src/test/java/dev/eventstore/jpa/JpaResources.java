package dev.eventstore.jpa;

import dev.eventstore.jpa.order.OrderOverview;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.transaction.TransactionScoped;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.jpa.HibernatePersistenceProvider;

import javax.sql.DataSource;
import java.util.Map;

/**
 * JPA as a container would offer it: Hibernate on the enlisting datasource with Narayana as JTA platform, and a
 * transaction-scoped EntityManager bean, so projection and test code share the transaction's persistence context.
 */
final class JpaResources implements Extension {

    private final EntityManagerFactory factory;

    JpaResources(DataSource dataSource) {
        this(dataSource, OrderOverview.class);
    }

    JpaResources(DataSource dataSource, Class<?>... entities) {
        this.factory = new HibernatePersistenceProvider().createContainerEntityManagerFactory(
                new TestPersistenceUnit(dataSource, entities),
                Map.of(AvailableSettings.JAKARTA_HBM2DDL_DATABASE_ACTION, "create",
                        AvailableSettings.JTA_PLATFORM,
                        "org.hibernate.engine.transaction.jta.platform.internal.JBossStandAloneJtaPlatform"));
    }

    EntityManagerFactory factory() {
        return factory;
    }

    void register(@Observes AfterBeanDiscovery event) {
        event.addBean().types(EntityManager.class, Object.class)
                .scope(TransactionScoped.class)
                .produceWith(instance -> factory.createEntityManager())
                .disposeWith((entityManager, instance) -> entityManager.close());
    }

}

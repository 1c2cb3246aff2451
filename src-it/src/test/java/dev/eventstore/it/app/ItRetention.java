package dev.eventstore.it.app;

import dev.eventstore.jobs.RetentionManager;
import dev.eventstore.maintenance.RetentionFigures;
import dev.eventstore.maintenance.RetentionScope;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * Retention as an application runs it in a server: a {@link RetentionManager} on the container's
 * ManagedScheduledExecutorService, deleting through the default datasource outside any transaction.
 */
@Stateless
public class ItRetention {

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource dataSource;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** Starts a manager scoped to one aggregate type, waits for its first run, stops it and returns its figures. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public RetentionFigures firstScheduledRun(String aggregateType) throws InterruptedException {
        RetentionManager manager = RetentionManager.builder(
                        PostgresEventStore.create(StoreConfig.defaults()).retention(dataSource))
                .keep(Duration.ofMillis(1))
                .interval(Duration.ofHours(1))
                .initialDelay(Duration.ZERO)
                .scope(RetentionScope.aggregateTypes(aggregateType))
                .build();
        manager.start(scheduler);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (manager.figures().runs() + manager.figures().failedRuns() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return manager.figures();
        } finally {
            manager.stop();
        }
    }
}

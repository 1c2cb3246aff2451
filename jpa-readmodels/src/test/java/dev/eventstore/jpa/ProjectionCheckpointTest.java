package dev.eventstore.jpa;

import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.ProjectionState;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.jpa.HibernatePersistenceProvider;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The checkpoint rows the projection runtime writes, read through JPA as an application would show them. */
class ProjectionCheckpointTest {

    @Test
    void checkpointsWrittenByTheRuntimeReadThroughJpaIncludingAParkedFailure() throws Exception {
        try (TestSchema schema = TestDatabase.get().createSchema(StoreConfig.defaults())) {
            PGSimpleDataSource plain = new PGSimpleDataSource();
            plain.setURL(schema.url());
            plain.setUser(schema.database().user());
            plain.setPassword(schema.database().password());
            try (Connection connection = schema.connect()) {
                PostgresEventStore.create(StoreConfig.defaults()).on(connection).append(ExpectedVersion.noStream(),
                        List.of(Event.builder("Order", "o-1", "OrderPlaced").build(),
                                Event.builder("Order", "o-1", "Poison").build()));
            }
            try (AsyncProjections projections = AsyncProjections.builder(plain, StoreConfig.defaults())
                    .register("totals", Set.of("Order"), (c, events) -> { })
                    .register("fragile", Set.of("Order"), (c, events) -> {
                        if (events.stream().anyMatch(e -> e.eventType().equals("Poison"))) {
                            throw new IllegalStateException("bad event");
                        }
                    })
                    .maxFailures(1).backoff(Duration.ofMillis(1), Duration.ofMillis(1)).build()) {
                projections.drain();
            }

            AgroalDataSource dataSource = JtaEnvironment.dataSource(schema, 2);
            EntityManagerFactory factory = new HibernatePersistenceProvider().createContainerEntityManagerFactory(
                    new TestPersistenceUnit(dataSource, ProjectionCheckpoint.class),
                    Map.of(AvailableSettings.JAKARTA_HBM2DDL_DATABASE_ACTION, "none", AvailableSettings.JTA_PLATFORM,
                            "org.hibernate.engine.transaction.jta.platform.internal.JBossStandAloneJtaPlatform"));
            try {
                EntityManager entityManager = factory.createEntityManager();
                ProjectionCheckpoint totals = entityManager.find(ProjectionCheckpoint.class, "totals");
                assertThat(totals.status()).isEqualTo(ProjectionState.RUNNING);
                assertThat(totals.lastPosition()).isPositive();
                assertThat(totals.lastTransactionId()).isPositive();
                assertThat(totals.lastError()).isEmpty();

                List<ProjectionCheckpoint> parked = entityManager.createQuery(
                                "SELECT c FROM ProjectionCheckpoint c WHERE c.status = :status", ProjectionCheckpoint.class)
                        .setParameter("status", ProjectionState.PARKED).getResultList();
                assertThat(parked).singleElement().satisfies(fragile -> {
                    assertThat(fragile.projectionName()).isEqualTo("fragile");
                    assertThat(fragile.failureCount()).isEqualTo(1);
                    assertThat(fragile.lastError()).hasValueSatisfying(e -> assertThat(e).contains("bad event"));
                    assertThat(fragile.lastPosition()).isZero();
                });
                entityManager.close();
            } finally {
                factory.close();
                dataSource.close();
            }
        }
    }

}

package dev.eventstore.cdi;

import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.cdi.health.EventStoreLiveness;
import dev.eventstore.cdi.health.EventStoreReadiness;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.eventstore.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The container runs the store without anyone asking: ASYNC projections start with the application, readiness and
 * liveness report them, their meters reach the application's registry, and invalid settings fail the deployment.
 * Weld SE with Narayana and an enlisting pool on the real PostgreSQL.
 */
class OperabilityTest {

    private TestSchema schema;
    private AgroalDataSource dataSource;
    private WeldContainer container;

    @BeforeEach
    void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        dataSource = JtaEnvironment.dataSource(schema, 4);
        Watched.handled.set(0);
        Watched.refusePoison.set(true);
        System.setProperty("eventstore.async.max-failures", "1");
        System.setProperty("eventstore.async.backoff-initial", "10ms");
        System.setProperty("eventstore.async.backoff-max", "20ms");
    }

    @AfterEach
    void cleanUp() throws SQLException {
        System.clearProperty("eventstore.async.max-failures");
        System.clearProperty("eventstore.async.backoff-initial");
        System.clearProperty("eventstore.async.backoff-max");
        System.clearProperty("eventstore.async.lease");
        System.clearProperty("eventstore.notify-mode");
        if (container != null) {
            container.close();
        }
        dataSource.close();
        schema.close();
    }

    @Test
    void projectionsRunWithoutTheApplicationTouchingTheStoreAndHealthFollowsAParkAndAResume() throws Exception {
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults(), Watched.class, Registry.class,
                StoreReadiness.class, StoreLiveness.class);
        HealthCheck readiness = container.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
        HealthCheck liveness = container.select(HealthCheck.class, Liveness.Literal.INSTANCE).get();

        // another node appends; nothing in this application ever injects EventStore or AsyncProjections
        append("Watched", "Opened");
        await(() -> Watched.handled.get() == 1, "the projection handles the event another node appended");
        await(() -> readiness.call().getStatus() == HealthCheckResponse.Status.UP, "readiness UP");
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(readiness.call().getData().orElseThrow()).containsEntry("runtime", "RUNNING")
                .containsEntry("watched.state", "RUNNING");

        // a poison event parks it: readiness DOWN, saying why
        append("Watched", "Poison");
        await(() -> readiness.call().getStatus() == HealthCheckResponse.Status.DOWN, "readiness DOWN");
        HealthCheckResponse down = readiness.call();
        assertThat(down.getData().orElseThrow()).containsEntry("watched.state", "PARKED");
        assertThat((String) down.getData().orElseThrow().get("reasons"))
                .contains("projection watched is parked")
                .contains("poison refused on purpose")
                .contains("resume it");
        assertThat(liveness.call().getStatus()).as("a parked projection is not a dead runtime")
                .isEqualTo(HealthCheckResponse.Status.UP);

        // fixed and resumed: UP again, and the meters saw it all
        Watched.refusePoison.set(false);
        container.select(AsyncProjections.class).get().resume("watched");
        await(() -> Watched.handled.get() == 2, "the resumed projection handles the poison event");
        await(() -> readiness.call().getStatus() == HealthCheckResponse.Status.UP, "readiness UP after resume");
        MeterRegistry registry = container.select(MeterRegistry.class).get();
        // UP comes with the state, before the loop has handled the event again and committed its batch.
        await(() -> registry.get("eventstore.projection.events.handled").tag("projection", "watched")
                .functionCounter().count() == 2.0, "the resumed projection handles the event");
        assertThat(Watched.handled.get()).isEqualTo(2);
        assertThat(registry.get("eventstore.projection.events.handled").tag("projection", "watched")
                .functionCounter().count()).isEqualTo(2.0);
        assertThat(registry.get("eventstore.projection.failures").tag("projection", "watched")
                .functionCounter().count()).isEqualTo(1.0);
    }

    @Test
    void readinessIsDownWhileTheStoresTablesAreMissingAndSaysWhichMigrationToRun() throws Exception {
        try (Connection connection = schema.connect()) {
            connection.createStatement().execute("DROP TABLE events, aggregate_heads, projection_checkpoints");
        }
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults(), Watched.class, Registry.class,
                StoreReadiness.class, StoreLiveness.class);
        HealthCheck readiness = container.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();

        HealthCheckResponse down = readiness.call();

        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat((String) down.getData().orElseThrow().get("reasons"))
                .contains("table events does not exist")
                .contains("migrate-gen")
                .contains("the projection runtime is starting: the events table events does not exist");
        assertThat(container.select(HealthCheck.class, Liveness.Literal.INSTANCE).get().call().getStatus())
                .as("retrying is alive").isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void anInvalidSettingFailsTheDeploymentNamingTheKeyAndWhatItAccepts() {
        System.setProperty("eventstore.async.lease", "a while");
        System.setProperty("eventstore.notify-mode", "sometimes");

        assertThatThrownBy(() -> container = CdiTestContainer.start(dataSource, StoreConfig.defaults(),
                Watched.class))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("eventstore.async.lease must be a positive duration such as 500ms, 15s, 2m,"
                        + " 1h or PT15S; was 'a while'")
                .hasMessageContaining("eventstore.notify-mode must be one of auto, in-transaction, after-commit;"
                        + " was 'sometimes'");
    }

    private void append(String aggregateType, String eventType) throws SQLException {
        try (Connection connection = schema.connect()) {
            PostgresEventStore.create(StoreConfig.defaults()).on(connection).append(ExpectedVersion.any(),
                    List.of(Event.builder(aggregateType, UUID.randomUUID().toString(), eventType).build()));
        }
    }

    @ApplicationScoped
    @Projection(name = "watched", aggregateTypes = "Watched", mode = ProjectionMode.ASYNC)
    public static class Watched {
        static final AtomicInteger handled = new AtomicInteger();
        static final AtomicBoolean refusePoison = new AtomicBoolean(true);

        @EventHandler
        public void on(PersistedEvent event) {
            if (event.eventType().equals("Poison") && refusePoison.get()) {
                throw new IllegalStateException("poison refused on purpose");
            }
            handled.incrementAndGet();
        }
    }

    /** The application declares the store's checks, one line each (docs/jakarta-ee.md). */
    // doc: health-checks begins
    @Readiness
    @ApplicationScoped
    public static class StoreReadiness extends EventStoreReadiness {
    }

    @Liveness
    @ApplicationScoped
    public static class StoreLiveness extends EventStoreLiveness {
    }
    // doc: health-checks ends

    /** The application's Micrometer registry, as a server's micrometer support or the application provides it. */
    @ApplicationScoped
    public static class Registry {
        @Produces
        @Singleton
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }
    }
}

package dev.eventstore.cdi;

import dev.eventstore.EventStore;
import dev.eventstore.PersistedEvent;
import dev.eventstore.cdi.health.EventStoreLiveness;
import dev.eventstore.cdi.health.EventStoreReadiness;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.UUID;

import static dev.eventstore.ExpectedVersion.any;
import static dev.eventstore.cdi.StoreEvents.event;
import static dev.eventstore.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A projection that a library adds from configuration ({@code dev.eventstore.cdi.spi}, found with ServiceLoader: here
 * {@link RecordingProjectionProvider}) runs with the application in a runtime of its own, on JTA batches, shows in
 * the health checks, and its invalid keys fail the deployment with the store's own. Weld SE with Narayana.
 */
class ConfiguredProjectionTest {

    private TestSchema schema;
    private AgroalDataSource dataSource;
    private WeldContainer container;

    @BeforeEach
    void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        dataSource = JtaEnvironment.dataSource(schema, 4);
        RecordingProjectionProvider.SEEN.clear();
        RecordingProjectionProvider.CLOSED.set(false);
    }

    @AfterEach
    void cleanUp() throws SQLException {
        System.clearProperty(RecordingProjectionProvider.ENABLED);
        System.clearProperty(RecordingProjectionProvider.NAME);
        System.clearProperty(RecordingProjectionProvider.BATCH_SIZE);
        System.clearProperty("eventstore.async.lease");
        if (container != null) {
            container.close();
        }
        dataSource.close();
        schema.close();
    }

    @Test
    void aConfiguredProjectionRunsInJtaBatchesSeesOnlyCommittedEventsAndShowsInHealth() throws Exception {
        System.setProperty(RecordingProjectionProvider.ENABLED, "true");
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults(), StoreReadiness.class, StoreLiveness.class);
        EventStore store = container.select(EventStore.class).get();
        UserTransaction transaction = JtaEnvironment.userTransaction();
        String committed = "kept-" + UUID.randomUUID();
        String rolledBack = "dropped-" + UUID.randomUUID();

        transaction.begin();
        store.append(any(), event("Recorded", committed, "Happened"));
        store.append(any(), event("Recorded", committed, "HappenedAgain"));
        transaction.commit();
        transaction.begin();
        store.append(any(), event("Recorded", rolledBack, "Happened"));
        transaction.rollback();
        transaction.begin();
        store.append(any(), event("Recorded", committed, "Closed"));
        transaction.commit();

        await(() -> RecordingProjectionProvider.SEEN.size() == 3, () -> "3 committed events, saw "
                + RecordingProjectionProvider.SEEN);
        assertThat(RecordingProjectionProvider.SEEN).extracting(seen -> seen.event().eventType())
                .containsExactly("Happened", "HappenedAgain", "Closed");
        assertThat(RecordingProjectionProvider.SEEN).extracting(seen -> seen.event().aggregateId())
                .containsOnly(committed);
        assertThat(RecordingProjectionProvider.SEEN).extracting(RecordingProjectionProvider.Seen::transactionStatus)
                .containsOnly(Status.STATUS_ACTIVE);

        HealthCheck readiness = container.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
        await(() -> Long.valueOf(0).equals(readiness.call().getData().orElseThrow().get("recording.lag-events")),
                "readiness reports the configured projection caught up");
        HealthCheckResponse ready = readiness.call();
        assertThat(ready.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(ready.getData().orElseThrow()).containsEntry("recording.runtime", "RUNNING")
                .containsEntry("recording.state", "RUNNING").containsEntry("recording.lag-events", 0L);
        HealthCheckResponse live = container.select(HealthCheck.class, Liveness.Literal.INSTANCE).get().call();
        assertThat(live.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(live.getData().orElseThrow()).containsEntry("recording.loop-alive", true);

        container.close();
        container = null;
        assertThat(RecordingProjectionProvider.CLOSED).as("closed with the application").isTrue();
    }

    @Test
    void invalidKeysOfAProviderFailTheDeploymentTogetherWithTheStoresOwn() {
        System.setProperty(RecordingProjectionProvider.ENABLED, "yes");
        System.setProperty("eventstore.async.lease", "a while");

        assertThatThrownBy(() -> container = CdiTestContainer.start(dataSource, StoreConfig.defaults(),
                StoreReadiness.class))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("Invalid event store configuration")
                .hasMessageContaining("eventstore.async.lease must be a positive duration")
                .hasMessageContaining("eventstore.recording.enabled must be true or false; was 'yes'");
        assertThat(RecordingProjectionProvider.SEEN).isEmpty();
    }

    @Test
    void aConfiguredNameThatIsAlsoAProjectionBeansNameFailsTheDeployment() {
        System.setProperty(RecordingProjectionProvider.ENABLED, "true");
        System.setProperty(RecordingProjectionProvider.NAME, "taken");
        System.setProperty(RecordingProjectionProvider.BATCH_SIZE, "11");

        assertThatThrownBy(() -> container = CdiTestContainer.start(dataSource, StoreConfig.defaults(),
                Taken.class))
                .isInstanceOf(DeploymentException.class)
                .hasMessageContaining("eventstore.recording.name 'taken' is also the name of @Projection "
                        + Taken.class.getName())
                .hasMessageContaining("eventstore.recording.batch-size must be a whole number from 1 to 10;"
                        + " was '11'");
    }

    @ApplicationScoped
    @dev.eventstore.projection.Projection(name = "taken", aggregateTypes = "Recorded",
            mode = dev.eventstore.projection.ProjectionMode.ASYNC)
    public static class Taken {
        @dev.eventstore.projection.EventHandler
        public void on(PersistedEvent event) {
        }
    }

    @Readiness
    @ApplicationScoped
    public static class StoreReadiness extends EventStoreReadiness {
    }

    @Liveness
    @ApplicationScoped
    public static class StoreLiveness extends EventStoreLiveness {
    }
}

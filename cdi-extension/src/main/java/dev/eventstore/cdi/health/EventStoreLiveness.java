package dev.eventstore.cdi.health;

import dev.eventstore.cdi.internal.StoreHealth;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Liveness of this node's projection runtime, as a MicroProfile Health check named {@code eventstore-projections}:
 * DOWN only when the runtime stopped or its thread died (retrying a start is alive).
 *
 * <p>Declare it in the application, one line, so the server finds it among the application's own beans:
 * <pre>{@code @Liveness @ApplicationScoped public class StoreLiveness extends EventStoreLiveness { }}</pre>
 */
public class EventStoreLiveness implements HealthCheck {

    @Inject
    StoreHealth health;

    @Override
    public HealthCheckResponse call() {
        return EventStoreReadiness.response("eventstore-projections", health.liveness());
    }
}

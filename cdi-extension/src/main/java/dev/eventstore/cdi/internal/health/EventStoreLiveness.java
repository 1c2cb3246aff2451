package dev.eventstore.cdi.internal.health;

import dev.eventstore.cdi.internal.StoreHealth;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness of the projection runtime's threads ({@code /health/live}); see {@link StoreHealth}. Added by the
 * extension only when the server offers MicroProfile Health.
 */
@Liveness
public class EventStoreLiveness implements HealthCheck {

    @Inject
    StoreHealth health;

    @Override
    public HealthCheckResponse call() {
        return EventStoreReadiness.Responses.of("eventstore-projections", health.liveness());
    }
}

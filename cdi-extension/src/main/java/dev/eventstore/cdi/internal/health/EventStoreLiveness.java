package dev.eventstore.cdi.internal.health;

import dev.eventstore.cdi.internal.StoreHealth;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Liveness of the projection runtime's threads ({@code /health/live}); see {@link StoreHealth}. Added by the
 * extension, as a bean qualified @Liveness, only when the server offers MicroProfile Health.
 */
public final class EventStoreLiveness implements HealthCheck {

    private final StoreHealth health;

    public EventStoreLiveness(StoreHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        return EventStoreReadiness.Responses.of("eventstore-projections", health.liveness());
    }
}

package dev.eventstore.cdi.internal.health;

import dev.eventstore.cdi.internal.StoreHealth;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Readiness of the event store and its asynchronous projections ({@code /health/ready}); see {@link StoreHealth}.
 * Added by the extension, as a bean qualified @Readiness, only when the server offers MicroProfile Health.
 */
public final class EventStoreReadiness implements HealthCheck {

    private final StoreHealth health;

    public EventStoreReadiness(StoreHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        return Responses.of("eventstore", health.readiness());
    }

    static final class Responses {
        private Responses() {
        }

        /** Built directly, not through the provider SPI: the same response whichever implementation serves it. */
        static HealthCheckResponse of(String name, StoreHealth.Report report) {
            Map<String, Object> data = new LinkedHashMap<>();
            report.data().forEach((key, value) -> data.put(key, value instanceof Boolean || value instanceof Long
                    ? value : value instanceof Number number ? (Object) number.longValue() : String.valueOf(value)));
            return new HealthCheckResponse(name, report.up() ? HealthCheckResponse.Status.UP
                    : HealthCheckResponse.Status.DOWN, data.isEmpty() ? Optional.empty() : Optional.of(data));
        }
    }
}

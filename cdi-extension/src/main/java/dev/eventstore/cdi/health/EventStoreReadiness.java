package dev.eventstore.cdi.health;

import dev.eventstore.cdi.internal.StoreHealth;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Readiness of the event store and its asynchronous projections, as a MicroProfile Health check named
 * {@code eventstore}: DOWN while the store has not started, the database cannot be read, its tables are missing, the
 * projection runtime is still starting, a projection (or one of its segments) is parked, a running one lags more than
 * {@code eventstore.health.max-lag}, or this node's segment count differs from the one its checkpoints were made for;
 * the data hold each projection's state, position, lag and last error, and each segment's where it has several.
 *
 * <p>Declare it in the application, one line, so the server finds it among the application's own beans:
 * <pre>{@code @Readiness @ApplicationScoped public class StoreReadiness extends EventStoreReadiness { }}</pre>
 */
public class EventStoreReadiness implements HealthCheck {

    @Inject
    StoreHealth health;

    @Override
    public HealthCheckResponse call() {
        return response("eventstore", health.readiness());
    }

    /** Built directly, not through the provider SPI: the same response whichever implementation serves it. */
    static HealthCheckResponse response(String name, StoreHealth.Report report) {
        Map<String, Object> data = new LinkedHashMap<>();
        report.data().forEach((key, value) -> data.put(key, value instanceof Boolean || value instanceof Long
                ? value : value instanceof Number number ? (Object) number.longValue() : String.valueOf(value)));
        return new HealthCheckResponse(name, report.up() ? HealthCheckResponse.Status.UP
                : HealthCheckResponse.Status.DOWN, data.isEmpty() ? Optional.empty() : Optional.of(data));
    }
}

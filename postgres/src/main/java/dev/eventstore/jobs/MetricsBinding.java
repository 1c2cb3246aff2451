package dev.eventstore.jobs;

import dev.eventstore.jobs.micrometer.ReplayMeterBinder;
import dev.eventstore.jobs.micrometer.RetentionMeterBinder;

/**
 * Registers retention and replay figures with Micrometer when, and only when, Micrometer is present. The registry is
 * passed as {@code Object} so that callers (such as a container integration that looked a registry up) never need
 * Micrometer types themselves; the Micrometer-typed binders are touched only after the check, so this class loads
 * and runs without Micrometer on the class path.
 */
public final class MetricsBinding {

    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    private MetricsBinding() {
    }

    /** Whether Micrometer's API is visible to this library. */
    public static boolean micrometerAvailable() {
        return registryClass() != null;
    }

    /**
     * Publishes {@code manager}'s figures in {@code registry} if it is a Micrometer {@code MeterRegistry}.
     *
     * @return whether meters were registered (false when Micrometer is absent or {@code registry} is something else)
     */
    public static boolean bindIfAvailable(Object registry, RetentionManager manager) {
        if (manager == null) {
            throw new IllegalArgumentException("manager must not be null");
        }
        if (!isMeterRegistry(registry)) {
            return false;
        }
        new RetentionMeterBinder(manager).bindTo((io.micrometer.core.instrument.MeterRegistry) registry);
        return true;
    }

    /**
     * Publishes {@code service}'s figures, tagged {@code replay=name}, in {@code registry} if it is a Micrometer
     * {@code MeterRegistry}.
     *
     * @return whether meters were registered
     */
    public static boolean bindIfAvailable(Object registry, ReplayService service, String name) {
        if (service == null) {
            throw new IllegalArgumentException("service must not be null");
        }
        if (!isMeterRegistry(registry)) {
            return false;
        }
        new ReplayMeterBinder(service, name).bindTo((io.micrometer.core.instrument.MeterRegistry) registry);
        return true;
    }

    /**
     * Publishes every projection of {@code projections} (see {@code ProjectionMeterBinder} for the meter names) in
     * {@code registry} if it is a Micrometer {@code MeterRegistry}.
     *
     * @return whether meters were registered
     */
    public static boolean bindIfAvailable(Object registry, dev.eventstore.async.AsyncProjections projections) {
        if (projections == null) {
            throw new IllegalArgumentException("projections must not be null");
        }
        if (!isMeterRegistry(registry)) {
            return false;
        }
        new dev.eventstore.async.micrometer.ProjectionMeterBinder(projections)
                .bindTo((io.micrometer.core.instrument.MeterRegistry) registry);
        return true;
    }

    private static boolean isMeterRegistry(Object registry) {
        Class<?> type = registryClass();
        return type != null && type.isInstance(registry);
    }

    private static Class<?> registryClass() {
        try {
            return Class.forName(METER_REGISTRY, false, MetricsBinding.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}

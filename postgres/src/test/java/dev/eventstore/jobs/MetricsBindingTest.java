package dev.eventstore.jobs;

import dev.eventstore.maintenance.EventRetention;
import dev.eventstore.maintenance.RetentionRun;
import dev.eventstore.maintenance.RetentionScope;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The optional Micrometer binding: meters follow the figures, and nothing breaks when Micrometer is absent. */
class MetricsBindingTest {

    private static final EventRetention DELETES_FIVE = (cutoff, scope) ->
            new RetentionRun(cutoff, scope, 5, 1, Instant.now(), Duration.ofMillis(12));

    @Test
    void retentionFiguresAppearAsMicrometerMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RetentionManager manager = RetentionManager.builder(DELETES_FIVE).keep(Duration.ofDays(1)).build();

        assertThat(MetricsBinding.bindIfAvailable(registry, manager)).isTrue();
        manager.runOnce();
        manager.runOnce();

        assertThat(registry.get("eventstore.retention.runs").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("eventstore.retention.events.deleted").functionCounter().count()).isEqualTo(10);
        assertThat(registry.get("eventstore.retention.last.deleted").gauge().value()).isEqualTo(5);
        assertThat(registry.get("eventstore.retention.last.duration").timeGauge()
                .value(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(12);
        assertThat(registry.get("eventstore.retention.last.run").gauge().value()).isPositive();
    }

    @Test
    void replayFiguresAppearAsTaggedMicrometerMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ReplayService service = ReplayService.builder().build();

        assertThat(MetricsBinding.bindIfAvailable(registry, service, "rebuild")).isTrue();

        FunctionCounter runs = registry.get("eventstore.replay.runs").tag("replay", "rebuild").functionCounter();
        Gauge lastCount = registry.get("eventstore.replay.last.count").tag("replay", "rebuild").gauge();
        assertThat(runs.count()).isZero();
        assertThat(lastCount.value()).isZero();
        assertThat(registry.get("eventstore.replay.events").functionCounter()).isNotNull();
        assertThat(registry.get("eventstore.replay.failures").functionCounter()).isNotNull();
    }

    @Test
    void somethingOtherThanAMeterRegistryIsIgnored() {
        RetentionManager manager = RetentionManager.builder(DELETES_FIVE).keep(Duration.ofDays(1)).build();

        assertThat(MetricsBinding.micrometerAvailable()).isTrue();
        assertThat(MetricsBinding.bindIfAvailable(new Object(), manager)).isFalse();
        assertThat(MetricsBinding.bindIfAvailable(null, manager)).isFalse();
    }

    /**
     * Loads the library from its own class directories without Micrometer, as in a server that has none, and runs
     * the binding: it must report that Micrometer is absent instead of failing with NoClassDefFoundError.
     */
    @Test
    void withoutMicrometerOnTheClassPathBindingIsSkippedWithoutLinkageErrors() throws Exception {
        URL library = MetricsBinding.class.getProtectionDomain().getCodeSource().getLocation();
        URL api = EventRetention.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {library, api},
                ClassLoader.getPlatformClassLoader())) {
            assertThat(isolated.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .as("must not be reachable").isNull();
        } catch (ClassNotFoundException expected) {
            // Micrometer is indeed absent from the isolated loader.
        }
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {library, api},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> binding = isolated.loadClass(MetricsBinding.class.getName());
            Class<?> managerClass = isolated.loadClass(RetentionManager.class.getName());
            Class<?> retentionClass = isolated.loadClass(EventRetention.class.getName());
            Object retention = java.lang.reflect.Proxy.newProxyInstance(isolated, new Class<?>[] {retentionClass},
                    (proxy, method, args) -> null);
            Object builder = managerClass.getMethod("builder", retentionClass).invoke(null, retention);
            builder.getClass().getMethod("keep", Duration.class).invoke(builder, Duration.ofDays(1));
            Object manager = builder.getClass().getMethod("build").invoke(builder);

            Method available = binding.getMethod("micrometerAvailable");
            Method bind = binding.getMethod("bindIfAvailable", Object.class, managerClass);

            assertThat(available.invoke(null)).isEqualTo(false);
            assertThat(bind.invoke(null, new Object(), manager)).isEqualTo(false);
            assertThat(RetentionScope.class.getClassLoader()).isNotSameAs(isolated);
        }
    }
}

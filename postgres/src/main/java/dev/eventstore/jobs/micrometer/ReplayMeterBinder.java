package dev.eventstore.jobs.micrometer;

import dev.eventstore.jobs.ReplayService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.concurrent.TimeUnit;

/**
 * Publishes a {@link ReplayService}'s figures as Micrometer meters tagged {@code replay=<name>}: counters
 * {@code eventstore.replay.runs}, {@code .events}, {@code .failures}; gauges {@code eventstore.replay.last.count}
 * and {@code .last.duration}. The meters hold the service weakly.
 */
@SuppressWarnings("exports") // Micrometer is an optional dependency: who binds meters has it
public final class ReplayMeterBinder implements MeterBinder {

    private final ReplayService service;
    private final Tags tags;

    /** @param name distinguishes this service's meters from other replay services' ({@code replay} tag) */
    public ReplayMeterBinder(ReplayService service, String name) {
        if (service == null) {
            throw new IllegalArgumentException("service must not be null");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank: it tags this replay service's meters");
        }
        this.service = service;
        this.tags = Tags.of("replay", name);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("eventstore.replay.runs", service, s -> s.figures().runs()).tags(tags)
                .description("Replay runs finished, completed or stopped by an error").register(registry);
        FunctionCounter.builder("eventstore.replay.events", service, s -> s.figures().eventsReplayed()).tags(tags)
                .description("Events replayed without error").baseUnit("events").register(registry);
        FunctionCounter.builder("eventstore.replay.failures", service, s -> s.figures().failures()).tags(tags)
                .description("Events a replay handler failed on").baseUnit("events").register(registry);
        Gauge.builder("eventstore.replay.last.count", service, s -> s.figures().lastCount()).tags(tags)
                .description("Events replayed by the last run").baseUnit("events").register(registry);
        TimeGauge.builder("eventstore.replay.last.duration", service, TimeUnit.MILLISECONDS,
                        s -> s.figures().lastDuration().toMillis()).tags(tags)
                .description("Duration of the last replay run").register(registry);
    }
}

package dev.eventstore.jobs.micrometer;

import dev.eventstore.jobs.RetentionManager;
import dev.eventstore.maintenance.RetentionFigures;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.concurrent.TimeUnit;

/**
 * Publishes a {@link RetentionManager}'s figures as Micrometer meters, read from its snapshot on every scrape:
 * counters {@code eventstore.retention.runs}, {@code .failures}, {@code .events.deleted}; gauges
 * {@code eventstore.retention.last.deleted}, {@code .last.duration} and {@code .last.run} (epoch seconds, 0 before
 * the first run). The meters hold the manager weakly, so they never keep a discarded manager alive.
 */
@SuppressWarnings("exports") // Micrometer is an optional dependency: who binds meters has it
public final class RetentionMeterBinder implements MeterBinder {

    private final RetentionManager manager;

    public RetentionMeterBinder(RetentionManager manager) {
        if (manager == null) {
            throw new IllegalArgumentException("manager must not be null");
        }
        this.manager = manager;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("eventstore.retention.runs", manager, m -> m.figures().runs())
                .description("Retention runs finished, successful or not").register(registry);
        FunctionCounter.builder("eventstore.retention.failures", manager, m -> m.figures().failedRuns())
                .description("Retention runs that failed").register(registry);
        FunctionCounter.builder("eventstore.retention.events.deleted", manager, m -> m.figures().eventsDeleted())
                .description("Events deleted by retention").baseUnit("events").register(registry);
        Gauge.builder("eventstore.retention.last.deleted", manager, m -> m.figures().lastRunDeleted())
                .description("Events deleted by the last retention run").baseUnit("events").register(registry);
        TimeGauge.builder("eventstore.retention.last.duration", manager, TimeUnit.MILLISECONDS,
                        m -> m.figures().lastRunDuration().toMillis())
                .description("Duration of the last retention run").register(registry);
        Gauge.builder("eventstore.retention.last.run", manager, RetentionMeterBinder::lastRunEpochSeconds)
                .description("Start of the last retention run, epoch seconds (0 before the first)")
                .baseUnit("seconds").register(registry);
    }

    private static double lastRunEpochSeconds(RetentionManager manager) {
        RetentionFigures figures = manager.figures();
        return figures.lastRun().map(instant -> instant.toEpochMilli() / 1000.0).orElse(0.0);
    }
}

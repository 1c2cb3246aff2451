package dev.eventstore.async.micrometer;

import dev.eventstore.async.AsyncProjections;
import dev.eventstore.projection.ProjectionState;
import dev.eventstore.projection.ProjectionStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Publishes every asynchronous projection of an {@link AsyncProjections} as Micrometer meters tagged
 * {@code projection=<name>}:
 * <ul>
 *   <li>counters (this node, since start) {@code eventstore.projection.events.handled},
 *       {@code eventstore.projection.batches}, {@code eventstore.projection.failures};</li>
 *   <li>gauges (from the shared checkpoint) {@code eventstore.projection.lag.events},
 *       {@code eventstore.projection.lag} (age of the oldest unhandled event), {@code eventstore.projection.parked}
 *       (1 when parked) and {@code eventstore.projection.position};</li>
 *   <li>for a projection this node runs with more than one segment, the same figures per segment, tagged
 *       {@code projection=<name>} and {@code segment=<number>}: {@code eventstore.projection.segment.lag.events},
 *       {@code eventstore.projection.segment.lag}, {@code eventstore.projection.segment.parked},
 *       {@code eventstore.projection.segment.position}, and {@code eventstore.projection.segment.held} (1 while this
 *       node holds the segment's lease). Separate names, so the projection's meters keep their one tag.</li>
 * </ul>
 * The gauges read the statuses at most once per {@code refresh} (default one second) however many meters a scrape
 * reads; while the database cannot be read they report NaN. They hold this binder strongly: nobody else keeps it
 * (Micrometer's default, a weak reference, turned every gauge to NaN at the first garbage collection).
 */
@SuppressWarnings("exports") // Micrometer is an optional dependency: who binds meters has it
public final class ProjectionMeterBinder implements MeterBinder {

    private static final System.Logger LOG = System.getLogger(ProjectionMeterBinder.class.getName());

    private final AsyncProjections projections;
    private final Duration refresh;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Long.MIN_VALUE);

    private record Snapshot(Map<String, ProjectionStatus> statuses, long readAtNanos) {
    }

    public ProjectionMeterBinder(AsyncProjections projections) {
        this(projections, Duration.ofSeconds(1));
    }

    /** @param refresh how long the gauges reuse one reading of the statuses */
    public ProjectionMeterBinder(AsyncProjections projections, Duration refresh) {
        this.projections = Objects.requireNonNull(projections, "projections must not be null");
        if (refresh == null || refresh.isNegative()) {
            throw new IllegalArgumentException("refresh must be zero or positive, was " + refresh);
        }
        this.refresh = refresh;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String name : projections.names()) {
            Tags tags = Tags.of("projection", name);
            FunctionCounter.builder("eventstore.projection.events.handled", projections,
                            p -> p.counters(name).eventsHandled())
                    .description("Events this node handled for the projection").baseUnit("events").tags(tags)
                    .register(registry);
            FunctionCounter.builder("eventstore.projection.batches", projections, p -> p.counters(name).batches())
                    .description("Batches this node committed for the projection").tags(tags).register(registry);
            FunctionCounter.builder("eventstore.projection.failures", projections, p -> p.counters(name).failures())
                    .description("Failed batch attempts of the projection on this node").tags(tags)
                    .register(registry);
            Gauge.builder("eventstore.projection.lag.events", this, statusOf(name, s -> s.lagEvents()))
                    .description("Events written after the projection's checkpoint").baseUnit("events").tags(tags)
                    .strongReference(true)
                    .register(registry);
            TimeGauge.builder("eventstore.projection.lag", this, TimeUnit.MILLISECONDS,
                            statusOf(name, s -> s.lagTime().toMillis()))
                    .description("Age of the oldest event the projection has not handled").tags(tags)
                    .strongReference(true)
                    .register(registry);
            Gauge.builder("eventstore.projection.parked", this,
                            statusOf(name, s -> s.state() == ProjectionState.PARKED ? 1 : 0))
                    .description("1 while the projection is parked after repeated failures").tags(tags)
                    .strongReference(true)
                    .register(registry);
            Gauge.builder("eventstore.projection.position", this, statusOf(name, s -> s.lastPosition()))
                    .description("Global position of the last event the projection handled").tags(tags)
                    .strongReference(true)
                    .register(registry);
            int segments = projections.segments(name);
            for (int segment = 0; segment < segments && segments > 1; segment++) {
                bindSegment(registry, name, segment);
            }
        }
    }

    private void bindSegment(MeterRegistry registry, String name, int segment) {
        Tags tags = Tags.of("projection", name, "segment", Integer.toString(segment));
        Gauge.builder("eventstore.projection.segment.lag.events", this,
                        segmentOf(name, segment, s -> s.lagEvents()))
                .description("Events of the segment written after its checkpoint").baseUnit("events").tags(tags)
                .strongReference(true)
                .register(registry);
        TimeGauge.builder("eventstore.projection.segment.lag", this, TimeUnit.MILLISECONDS,
                        segmentOf(name, segment, s -> s.lagTime().toMillis()))
                .description("Age of the oldest event the segment has not handled").tags(tags)
                .strongReference(true)
                .register(registry);
        Gauge.builder("eventstore.projection.segment.parked", this,
                        segmentOf(name, segment, s -> s.state() == ProjectionState.PARKED ? 1 : 0))
                .description("1 while the segment is parked after repeated failures").tags(tags)
                .strongReference(true)
                .register(registry);
        Gauge.builder("eventstore.projection.segment.position", this,
                        segmentOf(name, segment, s -> s.lastPosition()))
                .description("Global position of the last event the segment handled").tags(tags)
                .strongReference(true)
                .register(registry);
        String node = projections.runtimeStatus().node();
        Gauge.builder("eventstore.projection.segment.held", this,
                        segmentOf(name, segment, s -> s.leaseOwner().filter(node::equals).isPresent() ? 1 : 0))
                .description("1 while this node holds the segment's lease").tags(tags)
                .strongReference(true)
                .register(registry);
    }

    /** NaN while the statuses cannot be read or list no such segment (no checkpoint rows yet). */
    private static ToDoubleFunction<ProjectionMeterBinder> segmentOf(String name, int number,
                                                                     ToDoubleFunction<ProjectionStatus.Segment> figure) {
        return binder -> {
            ProjectionStatus status = binder.current().get(name);
            if (status == null) {
                return Double.NaN;
            }
            return status.segments().stream().filter(segment -> segment.segment() == number
                            && segment.segmentCount() == binder.projections.segments(name))
                    .mapToDouble(figure).findFirst().orElse(Double.NaN);
        };
    }

    private static ToDoubleFunction<ProjectionMeterBinder> statusOf(String name,
                                                                    ToDoubleFunction<ProjectionStatus> figure) {
        return binder -> {
            ProjectionStatus status = binder.current().get(name);
            return status == null ? Double.NaN : figure.applyAsDouble(status);
        };
    }

    private Map<String, ProjectionStatus> current() {
        Snapshot last = snapshot;
        long now = System.nanoTime();
        if (last.readAtNanos() != Long.MIN_VALUE && now - last.readAtNanos() < refresh.toNanos()) {
            return last.statuses();
        }
        try {
            Map<String, ProjectionStatus> statuses = projections.statuses().stream()
                    .collect(Collectors.toUnmodifiableMap(ProjectionStatus::name, status -> status));
            snapshot = new Snapshot(statuses, now);
            return statuses;
        } catch (RuntimeException e) {
            if (!last.statuses().isEmpty() || last.readAtNanos() == Long.MIN_VALUE) {
                LOG.log(System.Logger.Level.WARNING, "Projection gauges report NaN: the statuses cannot be read (" + e
                        + ")");
            }
            snapshot = new Snapshot(Map.of(), now);
            return Map.of();
        }
    }
}

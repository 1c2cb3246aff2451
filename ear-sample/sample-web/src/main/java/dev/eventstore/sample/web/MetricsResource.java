package dev.eventstore.sample.web;

import dev.eventstore.async.AsyncProjections;
import dev.eventstore.jobs.MetricsBinding;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Comparator;
import java.util.stream.Collectors;

/**
 * The asynchronous projections' meters as plain text, one {@code name{tags} value} line each. A real application
 * would hand the meters to its monitoring registry (Prometheus, OTLP) the same way: one call to
 * {@link MetricsBinding#bindIfAvailable(Object, AsyncProjections)}.
 */
@ApplicationScoped
@Path("/metrics")
public class MetricsResource {

    @Inject
    AsyncProjections projections;

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @PostConstruct
    void bind() {
        MetricsBinding.bindIfAvailable(registry, projections);
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String meters() {
        return registry.getMeters().stream()
                .sorted(Comparator.comparing((Meter meter) -> meter.getId().getName())
                        .thenComparing(meter -> meter.getId().getTags().toString()))
                .map(MetricsResource::line)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String line(Meter meter) {
        String tags = meter.getId().getTags().stream().map(tag -> tag.getKey() + "=\"" + tag.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
        double value = 0;
        for (Measurement measurement : meter.measure()) {
            value = measurement.getValue();
        }
        return meter.getId().getName() + tags + " " + value;
    }
}

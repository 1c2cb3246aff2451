package dev.eventstore.cdi.internal;

import dev.eventstore.async.AsyncProjections;
import dev.eventstore.async.RuntimeStatus;
import dev.eventstore.postgres.SqlName;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.ProjectionState;
import dev.eventstore.projection.ProjectionStatus;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the readiness and liveness checks report, without the MicroProfile Health API so it can be tested anywhere.
 * The extension hands it the datasource and the projections' runtime when the application starts; until then the
 * store is reported as not started.
 *
 * <p>Readiness is DOWN when the database cannot be read, when the store's tables are missing, when the projection
 * runtime has not started (with the reason of its last attempt), when a projection is parked, when a running
 * projection's oldest unhandled event is older than {@code eventstore.health.max-lag} (saying why when it is failing),
 * or when this node is configured with another segment count than the projection's checkpoints were made for (it does
 * not run it then). A paused projection is UP: an operator paused it. A projection that fails and retries (a broker
 * down, for the RabbitMQ publisher) stays UP, its failures and last error in the data, until it lags more than that.
 * Liveness is DOWN only when a runtime stopped or its thread died. The projections added from configuration run in
 * runtimes of their own and are reported the same way.
 *
 * <p>A projection with several segments is reported as a whole, as with one, and each segment on its own too
 * ({@code <name>.segment.<n>.state} and so on); a parked or lagging segment is named in the reasons.
 */
public final class StoreHealth {

    /**
     * @param up   whether the check passes
     * @param data figures and reasons for operators (values are strings, numbers or booleans)
     */
    public record Report(boolean up, Map<String, Object> data) {
        public Report {
            data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        }
    }

    private final StoreConfig config;
    private final boolean hasAsyncProjections;
    private final Duration maxLag;
    private final List<String> configuredProjections;
    private volatile DataSource dataSource;
    private volatile AsyncProjections projections;
    private volatile List<AsyncProjections> configuredRuntimes;
    private volatile String notStartedBecause = "the event store has not started yet (it starts with the application)";

    /** @param configuredProjections names of the projections added from configuration, each in a runtime of its own */
    StoreHealth(StoreConfig config, boolean hasAsyncProjections, Duration maxLag, List<String> configuredProjections) {
        this.config = Objects.requireNonNull(config, "config");
        this.hasAsyncProjections = hasAsyncProjections;
        this.maxLag = Objects.requireNonNull(maxLag, "maxLag");
        this.configuredProjections = List.copyOf(configuredProjections);
    }

    void notStarted(String why) {
        notStartedBecause = why;
    }

    void started(DataSource dataSource, Optional<AsyncProjections> projections,
                 List<AsyncProjections> configuredRuntimes) {
        this.dataSource = dataSource;
        this.projections = projections.orElse(null);
        this.configuredRuntimes = List.copyOf(configuredRuntimes);
    }

    public Report readiness() {
        Map<String, Object> data = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        DataSource source = dataSource;
        if (source == null) {
            reasons.add(notStartedBecause);
        } else {
            checkTables(source, reasons);
        }
        AsyncProjections runtime = projections;
        if (hasAsyncProjections && runtime == null) {
            reasons.add("the asynchronous projections have not started yet");
        } else if (runtime != null) {
            RuntimeStatus status = runtime.runtimeStatus();
            data.put("runtime", status.phase().name());
            data.put("wake-ups", status.wakeUps());
            if (status.phase() != RuntimeStatus.Phase.RUNNING) {
                reasons.add("the projection runtime is " + status.phase().name().toLowerCase(java.util.Locale.ROOT)
                        + status.lastStartFailure().map(failure -> ": " + failure).orElse(""));
            } else {
                checkProjections(runtime, data, reasons);
            }
        }
        checkConfigured(data, reasons);
        if (!reasons.isEmpty()) {
            data.put("reasons", String.join("; ", reasons));
        }
        return new Report(reasons.isEmpty(), data);
    }

    public Report liveness() {
        AsyncProjections runtime = projections;
        Map<String, Object> data = new LinkedHashMap<>();
        boolean live = true;
        if (runtime != null) {
            RuntimeStatus status = runtime.runtimeStatus();
            data.put("runtime", status.phase().name());
            data.put("loop-alive", status.loopAlive());
            data.put("listening", status.listening());
            live = status.live();
        }
        List<AsyncProjections> configured = configuredRuntimes;
        for (AsyncProjections own : configured == null ? List.<AsyncProjections>of() : configured) {
            RuntimeStatus status = own.runtimeStatus();
            String name = String.join(",", own.names());
            data.put(name + ".runtime", status.phase().name());
            data.put(name + ".loop-alive", status.loopAlive());
            live &= status.live();
        }
        return new Report(live, data);
    }

    /**
     * The projections added from configuration run in runtimes of their own: each is reported like the
     * {@code @Projection} beans, its runtime's phase under {@code <name>.runtime}.
     */
    private void checkConfigured(Map<String, Object> data, List<String> reasons) {
        List<AsyncProjections> configured = configuredRuntimes;
        if (configured == null) {
            if (!configuredProjections.isEmpty()) {
                reasons.add("the projections from configuration (" + String.join(", ", configuredProjections)
                        + ") have not started yet");
            }
            return;
        }
        for (AsyncProjections runtime : configured) {
            RuntimeStatus status = runtime.runtimeStatus();
            String name = String.join(",", runtime.names());
            data.put(name + ".runtime", status.phase().name());
            if (status.phase() != RuntimeStatus.Phase.RUNNING) {
                reasons.add("the runtime of projection " + name + " is "
                        + status.phase().name().toLowerCase(java.util.Locale.ROOT)
                        + status.lastStartFailure().map(failure -> ": " + failure).orElse(""));
            } else {
                checkProjections(runtime, data, reasons);
            }
        }
    }

    private void checkTables(DataSource source, List<String> reasons) {
        try (Connection connection = source.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT to_regclass(?) IS NOT NULL, to_regclass(?) IS NOT NULL")) {
            statement.setString(1, config.eventsTable().sql());
            statement.setString(2, config.headsTable().sql());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                missing(row.getBoolean(1), config.eventsTable(), reasons);
                missing(row.getBoolean(2), config.headsTable(), reasons);
            }
        } catch (SQLException e) {
            reasons.add("the database cannot be reached: " + e.getMessage());
        }
    }

    private static void missing(boolean exists, SqlName table, List<String> reasons) {
        if (!exists) {
            reasons.add("table " + table + " does not exist; create the store's tables with the SQL that"
                    + " `java -jar eventstore-postgres.jar migrate-gen` writes");
        }
    }

    private void checkProjections(AsyncProjections runtime, Map<String, Object> data, List<String> reasons) {
        List<ProjectionStatus> statuses;
        try {
            statuses = runtime.statuses();
        } catch (RuntimeException e) {
            reasons.add("the projections' checkpoints cannot be read: " + e.getMessage());
            return;
        }
        for (ProjectionStatus status : statuses) {
            String name = status.name();
            data.put(name + ".state", status.state().name());
            data.put(name + ".position", status.lastPosition());
            data.put(name + ".lag-events", status.lagEvents());
            data.put(name + ".lag-ms", status.lagTime().toMillis());
            status.leaseOwner().ifPresent(owner -> data.put(name + ".lease-owner", owner));
            if (status.failureCount() > 0) {
                data.put(name + ".failures", status.failureCount());
            }
            status.lastError().ifPresent(error -> data.put(name + ".last-error", error));
            int configured = runtime.segments(name);
            checkSegmentCount(name, configured, status.segments(), reasons);
            if (configured == 1 && status.segments().size() <= 1) {
                checkStateAndLag("projection " + name, status.state(), status.failedPosition(),
                        status.failureCount(), status.lastError(), status.lagTime(), reasons);
                continue;
            }
            data.put(name + ".segments", configured);
            for (ProjectionStatus.Segment segment : status.segments()) {
                String key = name + ".segment." + segment.segment();
                data.put(key + ".state", segment.state().name());
                data.put(key + ".position", segment.lastPosition());
                data.put(key + ".lag-events", segment.lagEvents());
                data.put(key + ".lag-ms", segment.lagTime().toMillis());
                segment.leaseOwner().ifPresent(owner -> data.put(key + ".lease-owner", owner));
                segment.lastError().ifPresent(error -> data.put(key + ".last-error", error));
                checkStateAndLag("projection " + name + " segment " + segment.segment(), segment.state(),
                        segment.failedPosition(), segment.failureCount(), segment.lastError(), segment.lagTime(),
                        reasons);
            }
        }
    }

    /** The runtime's rule: a node whose count differs from the checkpoint rows' does not run the projection. */
    private static void checkSegmentCount(String name, int configured, List<ProjectionStatus.Segment> segments,
                                          List<String> reasons) {
        if (segments.isEmpty()) {
            return; // no rows yet: the runtime makes them with this node's count
        }
        int stored = segments.get(0).segmentCount();
        if (stored != configured || segments.size() != configured) {
            reasons.add("projection " + name + " has " + configured + " segment(s) on this node but its checkpoints"
                    + " were made for " + stored + ", so this node does not run it: rebuild it with"
                    + " AsyncProjections.rebuild(\"" + name + "\") (which needs a @ProjectionReset), or set the"
                    + " count back to " + stored + " (@Projection(segments) or "
                    + EventStoreSettings.segmentsKey(name) + ")");
        }
    }

    private void checkStateAndLag(String what, ProjectionState state, java.util.OptionalLong failedPosition,
                                  int failureCount, Optional<String> lastError, Duration lag, List<String> reasons) {
        if (state == ProjectionState.PARKED) {
            reasons.add(what + " is parked" + failedPosition.stream()
                    .mapToObj(position -> " at position " + position).findFirst().orElse("")
                    + lastError.map(error -> ": " + error).orElse("")
                    + " (fix the cause, then resume it)");
        } else if (state == ProjectionState.RUNNING && lag.compareTo(maxLag) > 0) {
            reasons.add(what + " lags " + lag.toSeconds() + " s behind, more than"
                    + " eventstore.health.max-lag (" + maxLag.toSeconds() + " s)"
                    + (failureCount > 0 ? lastError.map(error -> ", failing " + failureCount + " times in a row: "
                    + error).orElse("") : ""));
        }
    }
}

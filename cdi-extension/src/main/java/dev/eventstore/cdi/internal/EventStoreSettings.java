package dev.eventstore.cdi.internal;

import dev.eventstore.async.AsyncProjections;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.ProjectionMode;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The injected store's configuration: MicroProfile Config when the server offers it, else system properties. Every
 * key, its default and its accepted values are in docs/configuration.md; invalid values fail the deployment naming
 * the key and what it accepts.
 *
 * @param dataSourceJndiName JNDI name of the JTA datasource
 * @param storeConfig        table names and notify channel
 * @param notifyMode         when appends notify, see {@link NotifyMode}
 * @param node               this JVM's name in projection leases
 * @param async              tuning of the asynchronous projection runtime
 * @param health             thresholds of the readiness check
 * @param segments           segment counts set by {@code eventstore.projection.<name>.segments}, by projection name;
 *                           only for the projections it was resolved for
 */
record EventStoreSettings(String dataSourceJndiName, StoreConfig storeConfig, NotifyMode notifyMode, String node,
                          Async async, Health health, Map<String, Integer> segments) {

    static final String DATASOURCE = "eventstore.datasource";
    static final String EVENTS_TABLE = "eventstore.events-table";
    static final String HEADS_TABLE = "eventstore.heads-table";
    static final String NOTIFY_CHANNEL = "eventstore.notify-channel";
    static final String NOTIFY_MODE = "eventstore.notify-mode";
    static final String NODE = "eventstore.node";
    static final String CHECKPOINTS_TABLE = "eventstore.checkpoints-table";
    static final String BATCH_SIZE = "eventstore.async.batch-size";
    static final String POLL_INTERVAL = "eventstore.async.poll-interval";
    static final String LEASE = "eventstore.async.lease";
    static final String MAX_FAILURES = "eventstore.async.max-failures";
    static final String BACKOFF_INITIAL = "eventstore.async.backoff-initial";
    static final String BACKOFF_MAX = "eventstore.async.backoff-max";
    static final String HEALTH_MAX_LAG = "eventstore.health.max-lag";
    static final String DEFAULT_DATASOURCE = "java:comp/DefaultDataSource";

    EventStoreSettings {
        segments = Map.copyOf(segments);
    }

    /** The key that overrides {@code @Projection(segments)} of the projection {@code name}. */
    static String segmentsKey(String name) {
        return "eventstore.projection." + name + ".segments";
    }

    /** How many segments {@code projection} runs with: its key when set, else what its annotation declares. */
    int segments(ProjectionDefinition projection) {
        return segments.getOrDefault(projection.name(), projection.segments());
    }

    /**
     * The asynchronous runtime's tuning, with the defaults of {@code AsyncProjections.Builder}.
     *
     * @param batchSize      events per batch transaction, 1 to 10000
     * @param pollInterval   sleep when nothing is readable and no notification came
     * @param lease          how long a node holds a projection without renewing
     * @param maxFailures    consecutive failures before a projection is parked
     * @param backoffInitial delay after the first failure (and the first failed start), doubling
     * @param backoffMax     the longest delay
     */
    record Async(int batchSize, Duration pollInterval, Duration lease, int maxFailures, Duration backoffInitial,
                 Duration backoffMax) {
    }

    /**
     * @param maxLag a running projection whose oldest unhandled event is older than this is reported DOWN
     */
    record Health(Duration maxLag) {
    }

    static EventStoreSettings resolve() {
        return resolve(List.of());
    }

    /** As {@link #resolve()}, with the keys of {@code projections} too. */
    static EventStoreSettings resolve(List<ProjectionDefinition> projections) {
        return from(configLookup(), projections);
    }

    static EventStoreSettings from(Function<String, Optional<String>> config) {
        return from(config, List.of());
    }

    /**
     * Reads and checks every key, and each projection's segment count.
     *
     * @throws IllegalArgumentException listing every invalid value, each with its key and what it accepts
     */
    static EventStoreSettings from(Function<String, Optional<String>> config,
                                   List<ProjectionDefinition> projections) {
        List<String> problems = new ArrayList<>();
        EventStoreSettings settings = from(config, projections, problems);
        failOn(problems);
        return settings;
    }

    /**
     * Reads every key, and each projection's segment count, adding each invalid value to {@code problems}; the
     * result then holds defaults for those.
     */
    static EventStoreSettings from(Function<String, Optional<String>> config, List<ProjectionDefinition> projections,
                                   List<String> problems) {
        ConfigReader read = new ConfigReader(config, problems);
        Function<String, Optional<String>> values = read::text;
        StoreConfig store = StoreConfig.defaults();
        store = name(values, EVENTS_TABLE, StoreConfig.DEFAULT_EVENTS_TABLE, store::withEventsTable, store, problems);
        store = name(values, HEADS_TABLE, StoreConfig.DEFAULT_HEADS_TABLE, store::withHeadsTable, store, problems);
        store = name(values, CHECKPOINTS_TABLE, StoreConfig.DEFAULT_CHECKPOINTS_TABLE, store::withCheckpointsTable,
                store, problems);
        Optional<String> channel = values.apply(NOTIFY_CHANNEL);
        if (channel.isPresent()) {
            store = name(values, NOTIFY_CHANNEL, channel.get(), store::withNotifyChannel, store, problems);
        }
        NotifyMode notifyMode = NotifyMode.AUTO;
        try {
            notifyMode = values.apply(NOTIFY_MODE).map(NotifyMode::parse).orElse(NotifyMode.AUTO);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        Async async = new Async(
                read.integer(BATCH_SIZE, 500, 1, 10_000),
                read.duration(POLL_INTERVAL, Duration.ofSeconds(1)),
                read.duration(LEASE, Duration.ofSeconds(15)),
                read.integer(MAX_FAILURES, 5, 1, 1_000),
                read.duration(BACKOFF_INITIAL, Duration.ofMillis(200)),
                read.duration(BACKOFF_MAX, Duration.ofSeconds(30)));
        if (async.backoffInitial().compareTo(async.backoffMax()) > 0) {
            problems.add(BACKOFF_INITIAL + " (" + async.backoffInitial() + ") must not be longer than " + BACKOFF_MAX
                    + " (" + async.backoffMax() + ")");
        }
        Health health = new Health(read.duration(HEALTH_MAX_LAG, Duration.ofMinutes(1)));
        Map<String, Integer> segments = segments(read, projections, problems);
        return new EventStoreSettings(values.apply(DATASOURCE).orElse(DEFAULT_DATASOURCE), store, notifyMode,
                values.apply(NODE).orElseGet(EventStoreSettings::defaultNode), async, health, segments);
    }

    /** The bound is the runtime's own, as for {@code @Projection(segments)}; more than one only for ASYNC. */
    private static Map<String, Integer> segments(ConfigReader read, List<ProjectionDefinition> projections,
                                                 List<String> problems) {
        Map<String, Integer> segments = new LinkedHashMap<>();
        for (ProjectionDefinition projection : projections) {
            String key = segmentsKey(projection.name());
            if (read.text(key).isEmpty()) {
                continue;
            }
            int before = problems.size();
            int count = read.integer(key, projection.segments(), 1, AsyncProjections.Builder.MAX_SEGMENTS);
            if (problems.size() > before) {
                continue;
            }
            if (count > 1 && projection.mode() != ProjectionMode.ASYNC) {
                problems.add(key + " is " + count + ", but " + projection.beanClass().getName() + " is an "
                        + projection.mode() + " projection, which has no segments; remove the key, or declare"
                        + " mode = ASYNC");
            } else {
                segments.put(projection.name(), count);
            }
        }
        return segments;
    }

    /** @throws IllegalArgumentException listing every problem, when there is any */
    static void failOn(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid event store configuration: " + String.join("; ", problems));
        }
    }

    private static StoreConfig name(Function<String, Optional<String>> values, String key, String defaultValue,
                                    Function<String, StoreConfig> apply, StoreConfig unchanged, List<String> problems) {
        String value = values.apply(key).orElse(defaultValue);
        try {
            return apply.apply(value);
        } catch (IllegalArgumentException e) {
            problems.add(key + " '" + value + "': " + e.getMessage());
            return unchanged;
        }
    }

    /** {@code 500ms}, {@code 15s}, {@code 2m}, {@code 1h}, or ISO-8601 such as {@code PT15S}; empty otherwise. */
    static Optional<Duration> parseDuration(String text) {
        Matcher short_ = SHORT_DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        try {
            if (short_.matches()) {
                long amount = Long.parseLong(short_.group(1));
                return Optional.of(switch (short_.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                });
            }
            return Optional.of(Duration.parse(text.strip()));
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)");

    /** Host name plus a random suffix: unique per JVM, recognisable in lease columns and logs. */
    private static String defaultNode() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "node";
        }
        return host + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** The deployment's configuration: MicroProfile Config when the server offers it, else system properties. */
    static Function<String, Optional<String>> configLookup() {
        if (MicroProfileConfig.available()) {
            return MicroProfileConfig::value;
        }
        return key -> Optional.ofNullable(System.getProperty(key));
    }

    /** Only loaded when the MicroProfile Config API is on the classpath. */
    private static final class MicroProfileConfig {
        static boolean available() {
            try {
                Class.forName("org.eclipse.microprofile.config.ConfigProvider", false,
                        EventStoreSettings.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }

        static Optional<String> value(String key) {
            try {
                return org.eclipse.microprofile.config.ConfigProvider.getConfig().getOptionalValue(key, String.class);
            } catch (IllegalStateException e) {
                // API present without an implementation: fall back to system properties
                return Optional.ofNullable(System.getProperty(key));
            }
        }
    }
}

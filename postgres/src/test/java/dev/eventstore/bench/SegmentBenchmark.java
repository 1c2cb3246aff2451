package dev.eventstore.bench;

import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjectionHandler;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Segmented projections with a handler that spends about 1 ms per event (a stand-in for remote I/O): throughput on
 * a backlog (median of {@code bench.segmentRounds}, default 3) and lag at a steady append rate, for 1, 2, 4 and 8
 * segments run by one node and by two nodes (two runtimes, each with its own connection pool, as two JVMs would
 * have). Not a test:
 * {@code mvn -B -Pbench -DskipTests -DskipITs verify -pl postgres -am} (with the other benchmarks).
 */
public final class SegmentBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.segmentEvents", 4_000);
    private static final int RATE = Integer.getInteger("bench.segmentAppendsPerSecond", 400);
    private static final int SECONDS = Integer.getInteger("bench.segmentLagSeconds", 5);
    private static final int ROUNDS = Integer.getInteger("bench.segmentRounds", 3);
    private static final long HANDLER_NANOS = 1_000_000;

    private SegmentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        StringBuilder json = new StringBuilder("[\n");
        System.out.printf(Locale.ROOT, "%-10s %-6s %14s %10s %14s %14s%n", "segments", "nodes", "events/s",
                "vs 1", "lag median ms", "lag p99 ms");
        int[][] setups = {{1, 1}, {2, 1}, {4, 1}, {8, 1}, {1, 2}, {2, 2}, {4, 2}, {8, 2}};
        // The rounds take turns over all setups, so drift on a shared machine falls on all of them alike.
        List<List<Double>> rates = new ArrayList<>();
        for (int i = 0; i < setups.length; i++) {
            rates.add(new ArrayList<>());
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < setups.length; i++) {
                StoreConfig config = StoreConfig.defaults().withNotifyChannel(
                        "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8));
                try (TestSchema schema = TestDatabase.get().createSchema(config)) {
                    seed(schema, EVENTS);
                    rates.get(i).add(throughput(schema, config, setups[i][0], setups[i][1]));
                }
            }
        }
        double single = median(rates.get(0));
        for (int i = 0; i < setups.length; i++) {
            int segments = setups[i][0];
            int nodes = setups[i][1];
            StoreConfig config = StoreConfig.defaults().withNotifyChannel(
                    "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8));
            try (TestSchema schema = TestDatabase.get().createSchema(config)) {
                seed(schema, EVENTS);
                double rate = median(rates.get(i));
                List<Double> lags = lag(schema, config, segments, nodes);
                Collections.sort(lags);
                double median = lags.get(lags.size() / 2);
                double p99 = lags.get((int) Math.min(lags.size() - 1, Math.round(lags.size() * 0.99)));
                System.out.printf(Locale.ROOT, "%-10d %-6d %14.0f %10.2f %14.1f %14.1f%n", segments, nodes, rate,
                        rate / single, median, p99);
                json.append(String.format(Locale.ROOT, "  {\"segments\": %d, \"nodes\": %d, \"eventsPerSecond\":"
                                + " %.0f, \"ratioToOneSegment\": %.2f, \"lagMedianMillis\": %.1f,"
                                + " \"lagP99Millis\": %.1f},%n", segments, nodes, rate, rate / single, median, p99));
            }
        }
        json.setLength(json.length() - 2);
        json.append("\n]\n");
        Path file = Path.of(args.length > 0 ? args[0] : "target/bench-segments.json");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json.toString());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void seed(TestSchema schema, int events) throws Exception {
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO events (aggregate_type, aggregate_id, aggregate_version, event_id,"
                    + " event_type, event_version, payload, metadata, created_at)"
                    + " SELECT 'Order', 'order-' || (n % 1000), n / 1000 + 1, gen_random_uuid(), 'OrderLineAdded',"
                    + " 1, convert_to('{}', 'UTF8'), '{}', now() FROM generate_series(0, " + (events - 1) + ") AS n");
            statement.execute("ANALYZE events");
        }
    }

    private static AgroalDataSource pool(TestSchema schema) throws Exception {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool.maxSize(10)
                        .connectionFactoryConfiguration(factory -> factory.jdbcUrl(schema.url())
                                .principal(new NamePrincipal(schema.database().user()))
                                .credential(new SimplePassword(schema.database().password())))));
    }

    private static AsyncProjections node(AgroalDataSource pool, StoreConfig config, String name, int segments,
                                         AsyncProjectionHandler handler) {
        return AsyncProjections.builder(pool, config).node(name)
                .register("bench", Set.of(), handler).segments("bench", segments).segmentThreads(segments)
                .batchSize(100).pollInterval(Duration.ofMillis(200)).lease(Duration.ofSeconds(5)).build();
    }

    /** Every seeded event handled by {@code nodes} runtimes sharing {@code segments}; events per second. */
    private static double throughput(TestSchema schema, StoreConfig config, int segments, int nodes)
            throws Exception {
        AtomicLong handled = new AtomicLong();
        AsyncProjectionHandler slow = (connection, events) -> {
            for (PersistedEvent ignored : events) {
                busy(HANDLER_NANOS);
            }
            handled.addAndGet(events.size());
        };
        List<AgroalDataSource> pools = new ArrayList<>();
        List<AsyncProjections> runtimes = new ArrayList<>();
        try {
            for (int n = 0; n < nodes; n++) {
                pools.add(pool(schema));
                runtimes.add(node(pools.get(n), config, "node-" + n, segments, slow));
            }
            long started = System.nanoTime();
            runtimes.forEach(AsyncProjections::start);
            while (handled.get() < EVENTS) {
                Thread.sleep(5);
            }
            return EVENTS / ((System.nanoTime() - started) / 1e9);
        } finally {
            runtimes.forEach(AsyncProjections::close);
            pools.forEach(AgroalDataSource::close);
        }
    }

    /** Appends at a steady rate once the backlog is handled; per event, commit to handled in milliseconds. */
    private static List<Double> lag(TestSchema schema, StoreConfig config, int segments, int nodes)
            throws Exception {
        Map<UUID, Long> committedAt = new ConcurrentHashMap<>();
        List<Double> lags = Collections.synchronizedList(new ArrayList<>());
        AsyncProjectionHandler slow = (connection, events) -> {
            for (PersistedEvent event : events) {
                busy(HANDLER_NANOS);
                Long committed = committedAt.get(event.eventId());
                lags.add(committed == null ? 0 : (System.nanoTime() - committed) / 1e6);
            }
        };
        List<AgroalDataSource> pools = new ArrayList<>();
        List<AsyncProjections> runtimes = new ArrayList<>();
        try (Connection writer = schema.connect()) {
            for (int n = 0; n < nodes; n++) {
                pools.add(pool(schema));
                runtimes.add(node(pools.get(n), config, "lag-node-" + n, segments, (c, events) -> { }));
            }
            // The backlog goes through a no-op handler first: only the steady appends are measured.
            runtimes.get(0).drain();
            runtimes.forEach(AsyncProjections::close);
            runtimes.clear();
            for (int n = 0; n < nodes; n++) {
                runtimes.add(node(pools.get(n), config, "lag-node-" + n, segments, slow));
            }
            runtimes.forEach(AsyncProjections::start);
            var store = PostgresEventStore.create(config).on(writer);
            long interval = 1_000_000_000L / RATE;
            long next = System.nanoTime();
            long end = next + SECONDS * 1_000_000_000L;
            int i = 0;
            while (System.nanoTime() < end) {
                Event event = Event.builder("Live", "live-" + (i++ % 200), "Ticked").build();
                // Noted before the append: a handler woken at once must not find it missing.
                committedAt.put(event.eventId(), System.nanoTime());
                store.append(ExpectedVersion.any(), event);
                next += interval;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (lags.size() < committedAt.size() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            runtimes.forEach(AsyncProjections::close);
            pools.forEach(AgroalDataSource::close);
        }
        return new ArrayList<>(lags);
    }

    /** Waits like remote I/O would: the thread is blocked, not computing. */
    private static void busy(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

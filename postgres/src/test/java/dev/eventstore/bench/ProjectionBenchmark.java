package dev.eventstore.bench;

import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
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
import java.sql.PreparedStatement;
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

/**
 * The gap-aware projection runtime against plain global reads of the same log, and its lag under a steady append
 * rate. Not a test: {@code mvn -B -Pbench -DskipTests -DskipITs verify -pl cdi-extension -am}.
 */
public final class ProjectionBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.projectionEvents", 200_000);
    private static final int RATE = Integer.getInteger("bench.appendsPerSecond", 200);
    private static final int SECONDS = Integer.getInteger("bench.lagSeconds", 10);
    private static final int ROUNDS = Integer.getInteger("bench.projectionRounds", 3);

    private ProjectionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String channel = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        StoreConfig config = StoreConfig.defaults().withNotifyChannel(channel);
        StringBuilder json = new StringBuilder("{\n");
        try (TestSchema schema = TestDatabase.get().createSchema(config)) {
            // A pool, as in production: the runtime takes a connection per batch and per lease renewal.
            AgroalDataSource dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(pool -> pool.maxSize(4)
                            .connectionFactoryConfiguration(factory -> factory.jdbcUrl(schema.url())
                                    .principal(new NamePrincipal(schema.database().user()))
                                    .credential(new SimplePassword(schema.database().password())))));
            seed(schema, EVENTS);

            // A warm-up round, then the three measurements in turn per round, so drift falls on all of them alike.
            List<Double> plainRates = new ArrayList<>();
            List<Double> noOpRates = new ArrayList<>();
            List<Double> upsertRates = new ArrayList<>();
            for (int round = 0; round <= ROUNDS; round++) {
                double plainRate = plainReads(schema);
                double noOpRate = project(dataSource, config, "noop-" + round, (c, events) -> { });
                double upsertRate = project(dataSource, config, "upserts-" + round,
                        ProjectionBenchmark::upsertTotals);
                if (round > 0) {
                    plainRates.add(plainRate);
                    noOpRates.add(noOpRate);
                    upsertRates.add(upsertRate);
                }
            }
            double plain = median(plainRates);
            double noOp = median(noOpRates);
            double upserts = median(upsertRates);
            System.out.printf(Locale.ROOT, "%n%-58s %12.0f  events/s%n%-58s %12.0f  events/s%n%-58s %12.0f"
                            + "  events/s%nprojection (no-op) / plain readEvents = %.2f%n",
                    "plain readEvents, pages of 500, " + EVENTS + " events, median of " + ROUNDS, plain,
                    "async projection, no-op handler, batches of 500", noOp,
                    "async projection, one JDBC upsert per event", upserts, noOp / plain);
            json.append(String.format(Locale.ROOT, "  \"plainReadEventsPerSecond\": %.0f,%n"
                    + "  \"projectionNoOpEventsPerSecond\": %.0f,%n  \"projectionUpsertEventsPerSecond\": %.0f,%n"
                    + "  \"ratioNoOpToPlain\": %.3f,%n", plain, noOp, upserts, noOp / plain));

            List<Double> lags = lagAtSteadyRate(dataSource, config, schema);
            Collections.sort(lags);
            double median = lags.get(lags.size() / 2);
            double p99 = lags.get((int) Math.min(lags.size() - 1, Math.round(lags.size() * 0.99)));
            System.out.printf(Locale.ROOT, "lag at %d appends/s for %d s (commit to handled, LISTEN wake-up):"
                    + " median %.1f ms, p99 %.1f ms, max %.1f ms (%d events)%n", RATE, SECONDS, median, p99,
                    lags.get(lags.size() - 1), lags.size());
            json.append(String.format(Locale.ROOT, "  \"lagAppendsPerSecond\": %d,%n  \"lagMedianMillis\": %.1f,%n"
                    + "  \"lagP99Millis\": %.1f,%n  \"lagMaxMillis\": %.1f%n}%n", RATE, median, p99,
                    lags.get(lags.size() - 1)));
            dataSource.close();
        }
        Path file = Path.of(args.length > 0 ? args[0] : "target/bench-projections.json");
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
                    + " SELECT 'Order', 'order-' || (n % 10000), n / 10000 + 1, gen_random_uuid(), 'OrderLineAdded',"
                    + " 1, convert_to('{\"cents\":' || n || '}', 'UTF8'), '{}', now()"
                    + " FROM generate_series(0, " + (events - 1) + ") AS n");
            statement.execute("CREATE TABLE totals (aggregate_id TEXT PRIMARY KEY, events BIGINT NOT NULL)");
            statement.execute("ANALYZE events");
        }
    }

    private static double plainReads(TestSchema schema) throws Exception {
        try (Connection connection = schema.connect()) {
            var store = PostgresEventStore.create(StoreConfig.defaults()).on(connection);
            long started = System.nanoTime();
            long read = 0;
            long after = 0;
            List<PersistedEvent> page;
            while (!(page = store.readEvents(after, 500)).isEmpty()) {
                read += page.size();
                after = page.get(page.size() - 1).globalPosition();
            }
            return read / ((System.nanoTime() - started) / 1e9);
        }
    }

    private static double project(javax.sql.DataSource dataSource, StoreConfig config, String name,
                                  dev.eventstore.async.AsyncProjectionHandler handler) {
        try (AsyncProjections projections = AsyncProjections.builder(dataSource, config)
                .register(name, Set.of(), handler).batchSize(500).build()) {
            long started = System.nanoTime();
            long handled = projections.drain();
            return handled / ((System.nanoTime() - started) / 1e9);
        }
    }

    private static void upsertTotals(Connection connection, List<PersistedEvent> events) throws Exception {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO totals VALUES (?, 1)"
                + " ON CONFLICT (aggregate_id) DO UPDATE SET events = totals.events + 1")) {
            for (PersistedEvent event : events) {
                upsert.setString(1, event.aggregateId());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** Appends at a steady rate and measures, per event, the time from its commit to its handling. */
    private static List<Double> lagAtSteadyRate(javax.sql.DataSource dataSource, StoreConfig config, TestSchema schema)
            throws Exception {
        Map<UUID, Long> committedAt = new ConcurrentHashMap<>();
        List<Double> lags = Collections.synchronizedList(new ArrayList<>());
        try (AsyncProjections projections = AsyncProjections.builder(dataSource, config)
                .register("lag", Set.of("Live"), (c, events) -> {
                    long now = System.nanoTime();
                    for (PersistedEvent event : events) {
                        Long committed = committedAt.get(event.eventId());
                        if (committed != null) {
                            lags.add((now - committed) / 1e6);
                        }
                    }
                }).pollInterval(Duration.ofSeconds(5)).build();
             Connection writer = schema.connect()) {
            projections.drain();
            projections.start();
            var store = PostgresEventStore.create(config).on(writer);
            long interval = 1_000_000_000L / RATE;
            long next = System.nanoTime();
            long end = next + SECONDS * 1_000_000_000L;
            while (System.nanoTime() < end) {
                Event event = Event.builder("Live", "live-" + (next % 50), "Ticked").build();
                store.append(ExpectedVersion.any(), event);
                committedAt.put(event.eventId(), System.nanoTime());
                next += interval;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (lags.size() < committedAt.size() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        return new ArrayList<>(lags);
    }
}

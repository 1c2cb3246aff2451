package dev.eventstore.bench;

import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.postgres.internal.StoreInternals;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each lever of the append path measured against the path without it, in the same run, round by round in turn:
 * the single-event statement shape against the array shape with one element, the query indexes, the aggregate's
 * advisory lock. Every variant runs the workload of the Axon comparison (single-event appends to aggregates of ten
 * events: noStream, then exact(n)) through raw JDBC on the store's own SQL, and reports the WAL it wrote per append
 * (the server-wide WAL position moved during its rounds, so only meaningful on an otherwise idle server).
 */
final class AppendLevers {

    private static final byte[] PAYLOAD = ("{\"orderId\":\"0b7e5c1a-4f3e-4c59-9a53-8f2d3c1e9b10\",\"customer\":"
            + "\"alice@example.com\",\"sku\":\"BOOK-1\",\"quantity\":2,\"cents\":1250,\"currency\":\"EUR\"}")
            .getBytes(StandardCharsets.UTF_8);

    private AppendLevers() {
    }

    /** One way of appending: which schema, which statement shape, with or without the lock. */
    private record Variant(String name, StoreConfig config, boolean oneEvent, boolean lock, boolean throughStore) {
    }

    static void run(BenchReport report) throws Exception {
        TestDatabase database = TestDatabase.get();
        try (TestSchema full = database.createEmptySchema(); TestSchema lean = database.createEmptySchema();
             AgroalDataSource pool = BenchDatabase.pool(database, 20)) {
            try (Connection connection = pool.getConnection()) {
                report.describeEnvironment(connection);
            }
            StoreConfig fullConfig = BenchDatabase.storeIn(full, StoreConfig.defaults());
            StoreConfig leanConfig = BenchDatabase.storeIn(lean, StoreConfig.defaults().withoutQueryIndexes());
            List<Variant> variants = List.of(
                    new Variant("store API, default schema", fullConfig, true, true, true),
                    new Variant("array statement for one event, default schema", fullConfig, false, true, false),
                    new Variant("one-event statement, default schema", fullConfig, true, true, false),
                    new Variant("one-event statement, default schema, without the lock", fullConfig, true, false,
                            false),
                    new Variant("one-event statement, no query indexes", leanConfig, true, true, false));
            for (int writers : new int[] {1, 16}) {
                measure(report, pool, variants, writers);
            }
            for (StoreConfig config : List.of(fullConfig, leanConfig)) {
                try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                     var row = statement.executeQuery("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                             + " WHERE relid = '" + config.headsTable().sql() + "'::regclass")) {
                    row.next();
                    report.fact("aggregate_heads updates that were HOT (" + config.headsTable() + ")",
                            row.getLong(2) + " of " + row.getLong(1));
                    connection.commit();
                }
            }
        }
    }


    private static void measure(BenchReport report, AgroalDataSource pool, List<Variant> variants, int writers)
            throws Exception {
        String label = writers + " writer" + (writers > 1 ? "s" : "") + ": ";
        List<List<Double>> rates = new ArrayList<>();
        long[] walBytes = new long[variants.size()];
        long[] appends = new long[variants.size()];
        variants.forEach(v -> rates.add(new ArrayList<>()));
        ExecutorService threads = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round <= BenchReport.ROUNDS; round++) {
                for (int turn = 0; turn < variants.size(); turn++) {
                    int v = (round + turn) % variants.size();
                    long walBefore = walPosition(pool);
                    AtomicLong appended = new AtomicLong();
                    double rate = round(threads, writers, pool, variants.get(v), appended);
                    if (round > 0) {
                        rates.get(v).add(rate);
                        walBytes[v] += walPosition(pool) - walBefore;
                        appends[v] += appended.get();
                    }
                }
            }
        } finally {
            threads.shutdownNow();
        }
        for (int v = 0; v < variants.size(); v++) {
            report.add(new Measurement(label + variants.get(v).name(), "appends/s", rates.get(v)));
            report.fact(label + variants.get(v).name() + ": WAL per append", walBytes[v] / Math.max(1, appends[v])
                    + " bytes");
        }
        String base = label + "array statement for one event, default schema";
        report.ratio(label + "one-event statement / array statement", label + "one-event statement, default schema",
                base);
        report.ratio(label + "without the lock / with it", label
                + "one-event statement, default schema, without the lock", label
                + "one-event statement, default schema");
        report.ratio(label + "no query indexes / every query index", label
                + "one-event statement, no query indexes", label + "one-event statement, default schema");
        report.ratio(label + "store API / the same statement through raw JDBC", label + "store API, default schema",
                label + "one-event statement, default schema");
    }

    private static long walPosition(AgroalDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             var row = statement.executeQuery("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")) {
            row.next();
            long position = row.getLong(1);
            connection.commit();
            return position;
        }
    }

    private static double round(ExecutorService threads, int writers, AgroalDataSource pool, Variant variant,
                                AtomicLong appended) {
        long deadline = System.nanoTime() + BenchReport.ROUND_MILLIS * 1_000_000;
        PostgresEventStore store = PostgresEventStore.create(variant.config());
        String noStream = StoreInternals.appendSql(variant.config(), "noStream", variant.oneEvent(), variant.lock());
        String exact = StoreInternals.appendSql(variant.config(), "exact", variant.oneEvent(), variant.lock());
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        long started = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            runs.add(CompletableFuture.runAsync(() -> {
                String id = null;
                int version = 10;
                while (System.nanoTime() < deadline) {
                    if (version == 10) {
                        id = UUID.randomUUID().toString();
                        version = 0;
                    }
                    try (Connection connection = pool.getConnection()) {
                        if (variant.throughStore()) {
                            store.on(connection).append(version == 0 ? ExpectedVersion.noStream()
                                    : ExpectedVersion.exact(version), Event.builder("Order", id, "OrderLineAdded")
                                    .payload(PAYLOAD).build());
                        } else {
                            appendRaw(connection, version == 0 ? noStream : exact, variant, id, version);
                        }
                        connection.commit();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    version++;
                    appended.incrementAndGet();
                }
            }, threads));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
        return appended.get() / ((System.nanoTime() - started) / 1e9);
    }

    /** Binds and runs one of the store's append statements by hand, as the store does. */
    private static void appendRaw(Connection connection, String sql, Variant variant, String id, long expected)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int p = 1;
            if (variant.lock()) {
                statement.setString(p++, StoreInternals.lockKey("Order", id));
                statement.setString(p++, "Order");
                statement.setString(p++, id);
                statement.setLong(p++, expected);
            }
            if (expected == 0) {
                statement.setString(p++, "Order");
                statement.setString(p++, id);
                statement.setLong(p++, 1);
            } else {
                statement.setLong(p++, 1);
                statement.setString(p++, "Order");
                statement.setString(p++, id);
                statement.setLong(p++, expected);
            }
            statement.setString(p++, "Order");
            statement.setString(p++, id);
            if (variant.oneEvent()) {
                statement.setObject(p++, UUID.randomUUID());
                statement.setString(p++, "OrderLineAdded");
                statement.setInt(p++, 1);
                statement.setBytes(p++, PAYLOAD);
                statement.setString(p++, "{}");
                statement.setString(p++, null);
                statement.setString(p++, null);
                statement.setString(p++, null);
                statement.setString(p++, Instant.now().toString());
                statement.setString(p, null);
            } else {
                statement.setLong(p++, 1);
                statement.setArray(p++, connection.createArrayOf("uuid", new UUID[] {UUID.randomUUID()}));
                statement.setArray(p++, connection.createArrayOf("text", new String[] {"OrderLineAdded"}));
                statement.setArray(p++, connection.createArrayOf("int4", new Integer[] {1}));
                statement.setArray(p++, connection.createArrayOf("bytea", new byte[][] {PAYLOAD}));
                statement.setArray(p++, connection.createArrayOf("text", new String[] {"{}"}));
                statement.setArray(p++, connection.createArrayOf("text", new String[1]));
                statement.setArray(p++, connection.createArrayOf("text", new String[1]));
                statement.setArray(p++, connection.createArrayOf("text", new String[1]));
                statement.setArray(p++, connection.createArrayOf("text", new String[] {Instant.now().toString()}));
                statement.setArray(p, connection.createArrayOf("text", new String[1]));
            }
            boolean rows = statement.execute();
            if (variant.lock()) {
                rows = statement.getMoreResults();
            }
            if (!rows) {
                throw new IllegalStateException("the append statement returned no rows");
            }
            try (var result = statement.getResultSet()) {
                if (!result.next()) {
                    throw new IllegalStateException("the append of version " + (expected + 1) + " to " + id
                            + " wrote nothing");
                }
            }
        }
    }
}

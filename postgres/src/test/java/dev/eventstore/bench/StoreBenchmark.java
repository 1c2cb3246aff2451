package dev.eventstore.bench;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.mapping.order.OrderEventMapper;
import dev.eventstore.mapping.order.events.v2.OrderLine;
import dev.eventstore.mapping.order.events.v2.OrderPlaced;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.postgres.internal.StoreInternals;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's throughput against raw JDBC doing the same work, measured in the same run on the same database. Not a
 * test: run it with {@code mvn -B -Pbench -DskipTests verify -pl cdi-extension -am}. Each figure is the median of
 * several timed rounds after a warm-up; results go to {@code target/bench-results.json} and a table on stdout.
 */
public final class StoreBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final long ROUND_MILLIS = Long.getLong("bench.roundMillis", 1500);
    private static final String PAYLOAD = "{\"customer\":\"alice\",\"sku\":\"BOOK-123\",\"quantity\":2,\"cents\":1250}";

    private final TestSchema schema;
    private final PostgresEventStore store = PostgresEventStore.create(StoreConfig.defaults());
    private final List<Measurement> results = new ArrayList<>();

    private StoreBenchmark(TestSchema schema) {
        this.schema = schema;
    }

    public static void main(String[] args) throws Exception {
        try (TestSchema schema = TestDatabase.get().createSchema(StoreConfig.defaults())) {
            StoreBenchmark benchmark = new StoreBenchmark(schema);
            benchmark.run();
            benchmark.report(Path.of(args.length > 0 ? args[0] : "target/bench-results.json"));
        }
    }

    /** {@code -Dbench.only=appends,concurrent,lock,reads,mapping} runs a subset; all of them by default. */
    private static final String ONLY = System.getProperty("bench.only", "appends,concurrent,lock,reads,mapping");

    private void run() throws Exception {
        if (selected("appends")) {
            appendsAgainstRawJdbc(1);
            appendsAgainstRawJdbc(10);
            appendsAgainstRawJdbc(100);
        }
        if (selected("concurrent")) {
            for (int writers : new int[] {1, 4, 16}) {
                concurrentAppends(writers, false, false);
                concurrentAppends(writers, true, false);
                concurrentAppends(writers, true, true);
            }
        }
        if (selected("lock")) {
            for (int writers : new int[] {4, 16}) {
                hotAggregateLockCost(writers, true);
                hotAggregateLockCost(writers, false);
            }
        }
        if (selected("reads")) {
            reads();
        }
        if (selected("mapping")) {
            typedMapping();
        }
    }

    private static boolean selected(String group) {
        return List.of(ONLY.split(",")).contains(group);
    }

    /**
     * The generated mapper's share: an append of a domain record through {@code toEvents} against the same append of
     * an event whose JSON was written by hand; decoding through {@code fromEvent} against a direct JSON-B call.
     */
    private void typedMapping() throws Exception {
        OrderEventMapper mapper = new OrderEventMapper();
        OrderPlaced placed = new OrderPlaced("alice", List.of(new OrderLine("BOOK-123", 2, 2_500),
                new OrderLine("PEN-7", 1, 199)), "EUR", Instant.parse("2026-11-25T10:00:00Z"));
        String json = new String(mapper.toEvents("o", List.of(placed)).get(0).payload(),
                java.nio.charset.StandardCharsets.UTF_8);
        measureInterleaved("appends/s",
                new Named("typed append: toEvents(record) + append", connection -> {
                    store.on(connection).append(ExpectedVersion.noStream(),
                            mapper.toEvents(UUID.randomUUID().toString(), List.of(placed)));
                    connection.commit();
                }),
                new Named("typed append baseline: prebuilt JSON event + append", connection -> {
                    store.on(connection).append(ExpectedVersion.noStream(), List.of(Event.builder("Order",
                            UUID.randomUUID().toString(), "OrderPlaced").eventVersion(2).jsonPayload(json).build()));
                    connection.commit();
                }));
        dev.eventstore.PersistedEvent stored = new dev.eventstore.PersistedEvent(
                mapper.toEvents("o", List.of(placed)).get(0), 1, 1);
        // The same JSON-B configuration as the generated mapper's: the ratio is the generated code's own cost.
        jakarta.json.bind.Jsonb jsonb = jakarta.json.bind.JsonbBuilder.create(new jakarta.json.bind.JsonbConfig()
                .setProperty(jakarta.json.bind.JsonbConfig.CREATOR_PARAMETERS_REQUIRED, true));
        measureInterleaved("events/s",
                new Named("decode: generated fromEvent", connection -> mapper.fromEvent(stored)),
                new Named("decode baseline: jsonb.fromJson(payload, OrderPlaced.class)",
                        connection -> jsonb.fromJson(stored.payloadAsString(), OrderPlaced.class)));
    }

    /** Appends of {@code size} events per transaction: the store, the same statement through raw JDBC, a bare insert. */
    private void appendsAgainstRawJdbc(int size) throws Exception {
        String label = size == 1 ? "single-event append" : "batch of " + size;
        String appendSql = size == 1 ? StoreInternals.appendOneNoStreamSql(StoreConfig.defaults())
                : storeAppendSql();
        String insertSql = multiRowInsert(size);
        measureInterleaved("appends/s",
                new Named(label + ": store", connection -> {
                    EventStore events = store.on(connection);
                    String id = UUID.randomUUID().toString();
                    events.append(ExpectedVersion.noStream(), batch(id, size));
                    connection.commit();
                }),
                // The store's own SQL, bound and executed by hand: what is left is the store's Java-side cost.
                new Named(label + ": raw JDBC, same statement", connection -> {
                    try (PreparedStatement statement = connection.prepareStatement(appendSql)) {
                        bindStoreAppend(connection, statement, UUID.randomUUID().toString(), size);
                        statement.execute(); // the aggregate lock, then the append in the same round trip
                        statement.getMoreResults();
                        statement.getResultSet().close();
                    }
                    connection.commit();
                }),
                // The floor: a plain multi-row INSERT into the same table, no version check, no head row.
                new Named(label + ": raw JDBC, bare multi-row insert", connection -> {
                    String id = UUID.randomUUID().toString();
                    try (PreparedStatement statement = connection.prepareStatement(insertSql)) {
                        int p = 1;
                        for (int i = 1; i <= size; i++) {
                            statement.setString(p++, "Order");
                            statement.setString(p++, id);
                            statement.setLong(p++, i);
                            statement.setObject(p++, UUID.randomUUID());
                            statement.setString(p++, "OrderLineAdded");
                            statement.setBytes(p++, PAYLOAD.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        }
                        statement.executeUpdate();
                    }
                    connection.commit();
                }));
    }

    /**
     * Writers each in their own transactions, on distinct aggregates or all on one hot aggregate, with
     * {@code exact(current)} and a reload on conflict, or with {@code any()}.
     */
    private void concurrentAppends(int writers, boolean hot, boolean anyVersion) throws Exception {
        String label = writers + " writer" + (writers > 1 ? "s" : "")
                + (hot ? ", one hot aggregate" : ", distinct aggregates") + (anyVersion ? ", any()" : "");
        ConcurrentFigures store = new ConcurrentFigures();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            String hotId = hot ? UUID.randomUUID().toString() : null;
            for (int round = 0; round <= ROUNDS; round++) {
                store.record(round, concurrentRound(pool, writers, hotId, anyVersion, this::storeAppend));
            }
        } finally {
            pool.shutdownNow();
        }
        store.addTo(results, label);
    }

    /**
     * What the aggregate's advisory lock costs on one hot aggregate: the store against its own append statement
     * without the lock (the statement before the lock was added), round by round in turn. Without the lock,
     * {@code any()} appends are refused by the transaction-order guard under contention.
     */
    private void hotAggregateLockCost(int writers, boolean anyVersion) throws Exception {
        String label = writers + " writers, one hot aggregate, " + (anyVersion ? "any()" : "exact(n) + reload");
        String hotId = UUID.randomUUID().toString();
        ConcurrentFigures store = new ConcurrentFigures();
        ConcurrentFigures unlocked = new ConcurrentFigures();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round <= ROUNDS; round++) {
                store.record(round, concurrentRound(pool, writers, hotId, anyVersion, this::storeAppend));
                unlocked.record(round, concurrentRound(pool, writers, hotId, anyVersion,
                        StoreBenchmark::appendWithoutLock));
            }
        } finally {
            pool.shutdownNow();
        }
        store.addTo(results, label + ": store");
        unlocked.addTo(results, label + ": without the aggregate lock");
    }

    private long storeAppend(Connection connection, String id, ExpectedVersion expected) {
        return store.on(connection).append(expected, batch(id, 1)).toVersion();
    }

    private static final String ANY_WITHOUT_LOCK = StoreInternals.appendAnyWithoutLockSql(StoreConfig.defaults());
    private static final String EXACT_WITHOUT_LOCK = StoreInternals.appendExactWithoutLockSql(StoreConfig.defaults());

    /** The pre-lock append statement through raw JDBC; a refusal reads the head once, as the store does. */
    private static long appendWithoutLock(Connection connection, String id, ExpectedVersion expected)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(expected.isAny() ? ANY_WITHOUT_LOCK
                : EXACT_WITHOUT_LOCK)) {
            int p = 1;
            if (expected.isAny()) {
                statement.setString(p++, "Order");
                statement.setString(p++, id);
                statement.setLong(p++, 1);
            } else {
                statement.setLong(p++, 1);
                statement.setString(p++, "Order");
                statement.setString(p++, id);
                statement.setLong(p++, expected.version());
            }
            bindOneEvent(statement, p, id);
            try (var rows = statement.executeQuery()) {
                if (rows.next()) {
                    return rows.getLong(1);
                }
            }
        }
        try (PreparedStatement head = connection.prepareStatement(
                "SELECT aggregate_version FROM aggregate_heads WHERE aggregate_type = 'Order' AND aggregate_id = ?")) {
            head.setString(1, id);
            try (var row = head.executeQuery()) {
                throw new OptimisticConcurrencyException("Order", id, expected, row.next() ? row.getLong(1) : 0);
            }
        }
    }

    /** One round of {@code writers} threads appending for the round's time; distinct aggregates when hotId is null. */
    private RoundCount concurrentRound(ExecutorService pool, int writers, String hotId, boolean anyVersion,
                                       Appender appender) {
        AtomicLong appended = new AtomicLong();
        AtomicLong conflicts = new AtomicLong();
        long deadline = System.nanoTime() + ROUND_MILLIS * 1_000_000;
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            runs.add(CompletableFuture.runAsync(() -> {
                String id = hotId != null ? hotId : UUID.randomUUID().toString();
                try (Connection connection = schema.begin()) {
                    long current = store.on(connection).readAggregateStream("Order", id,
                            dev.eventstore.VersionRange.from(1)).version();
                    connection.commit();
                    while (System.nanoTime() < deadline) {
                        try {
                            current = appender.append(connection, id, anyVersion ? ExpectedVersion.any()
                                    : ExpectedVersion.exact(current));
                            connection.commit();
                            appended.incrementAndGet();
                        } catch (OptimisticConcurrencyException e) {
                            connection.rollback();
                            conflicts.incrementAndGet();
                            current = e.actualVersion().orElse(current);
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        long started = System.nanoTime();
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
        return new RoundCount(appended.get(), conflicts.get(), (System.nanoTime() - started) / 1e9);
    }

    @FunctionalInterface
    private interface Appender {
        /** Appends one event in the connection's transaction and returns the new version; refusals throw. */
        long append(Connection connection, String id, ExpectedVersion expected) throws SQLException;
    }

    private record RoundCount(long appended, long conflicts, double seconds) {
    }

    /** Rates of the rounds after the warm-up round. */
    private static final class ConcurrentFigures {
        private final List<Double> rates = new ArrayList<>();
        private final List<Double> conflictRates = new ArrayList<>();

        void record(int round, RoundCount count) {
            if (round > 0) {
                rates.add(count.appended() / count.seconds());
                conflictRates.add(100.0 * count.conflicts() / Math.max(1, count.appended() + count.conflicts()));
            }
        }

        void addTo(List<Measurement> results, String label) {
            results.add(new Measurement(label, "appends/s", rates));
            results.add(new Measurement(label + ": conflicts", "% of attempts", conflictRates));
        }
    }

    /** Global reads in pages, and aggregate stream reads of three sizes. */
    private void reads() throws Exception {
        try (Connection connection = schema.connect()) {
            EventStore events = store.on(connection);
            long total = events.latestGlobalPosition();
            results.add(timed("readEvents, pages of 1,000", "events/s", () -> {
                long read = 0;
                long after = 0;
                List<dev.eventstore.PersistedEvent> page;
                while (!(page = events.readEvents(after, 1_000)).isEmpty()) {
                    read += page.size();
                    after = page.get(page.size() - 1).globalPosition();
                }
                return read;
            }));
            for (int size : new int[] {10, 1_000, 10_000}) {
                String id = UUID.randomUUID().toString();
                for (int written = 0; written < size; written += 1_000) {
                    events.append(ExpectedVersion.any(), batch(id, Math.min(1_000, size - written)));
                }
                results.add(timed("read stream of " + size + " events", "reads/s",
                        () -> events.readAggregateStream("Order", id).size() == size ? 1 : 0));
            }
            System.out.println("(the log held " + total + " events for the global read)");
        }
    }

    private interface Work {
        void run(Connection connection) throws Exception;
    }

    private interface Counted {
        long run() throws Exception;
    }

    private record Named(String name, Work work) {
    }

    /**
     * Round after round, each work in turn for one round's time, so drift on the machine (disk, autovacuum, a growing
     * table) falls on every work alike and the ratios between them stay fair.
     */
    private void measureInterleaved(String unit, Named... works) throws Exception {
        try (Connection connection = schema.begin()) {
            List<List<Double>> rates = new ArrayList<>();
            for (Named ignored : works) {
                rates.add(new ArrayList<>());
            }
            for (int round = 0; round <= ROUNDS; round++) {
                for (int w = 0; w < works.length; w++) {
                    long count = 0;
                    long started = System.nanoTime();
                    long deadline = started + ROUND_MILLIS * 1_000_000;
                    while (System.nanoTime() < deadline) {
                        works[w].work().run(connection);
                        count++;
                    }
                    if (round > 0) {
                        rates.get(w).add(count / ((System.nanoTime() - started) / 1e9));
                    }
                }
            }
            for (int w = 0; w < works.length; w++) {
                results.add(new Measurement(works[w].name(), unit, rates.get(w)));
            }
        }
    }

    private Measurement timed(String name, String unit, Counted work) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (int round = 0; round <= ROUNDS; round++) {
            long count = 0;
            long started = System.nanoTime();
            long deadline = started + ROUND_MILLIS * 1_000_000;
            while (System.nanoTime() < deadline) {
                count += work.run();
            }
            if (round > 0) {
                rates.add(count / ((System.nanoTime() - started) / 1e9));
            }
        }
        return new Measurement(name, unit, rates);
    }

    private static List<Event> batch(String id, int size) {
        List<Event> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            events.add(Event.builder("Order", id, "OrderLineAdded").jsonPayload(PAYLOAD).build());
        }
        return events;
    }

    private static String storeAppendSql() {
        return StoreInternals.appendNoStreamSql(StoreConfig.defaults());
    }

    private static void bindStoreAppend(Connection connection, PreparedStatement statement, String id, int size)
            throws SQLException {
        int p = 1;
        statement.setString(p++, StoreInternals.lockKey("Order", id));
        statement.setString(p++, "Order");
        statement.setString(p++, id);
        statement.setLong(p++, 0);
        statement.setString(p++, "Order");
        statement.setString(p++, id);
        statement.setLong(p++, size);
        if (size == 1) {
            bindOneEvent(statement, p, id);
            return;
        }
        bindEvents(connection, statement, p, id, size);
    }

    /** The event part of the store's single-event append statement, from parameter {@code p} on. */
    private static void bindOneEvent(PreparedStatement statement, int p, String id) throws SQLException {
        statement.setString(p++, "Order");
        statement.setString(p++, id);
        statement.setObject(p++, UUID.randomUUID());
        statement.setString(p++, "OrderLineAdded");
        statement.setInt(p++, 1);
        statement.setBytes(p++, PAYLOAD.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        statement.setString(p++, "{}");
        statement.setString(p++, null);
        statement.setString(p++, null);
        statement.setString(p++, null);
        statement.setString(p++, Instant.now().toString());
        statement.setString(p, null);
    }

    /** The events part of the store's append statement, from parameter {@code p} on. */
    private static void bindEvents(Connection connection, PreparedStatement statement, int p, String id, int size)
            throws SQLException {
        UUID[] ids = new UUID[size];
        String[] types = new String[size];
        Integer[] versions = new Integer[size];
        byte[][] payloads = new byte[size][];
        String[] metadata = new String[size];
        String[] nulls = new String[size];
        String[] createdAt = new String[size];
        for (int i = 0; i < size; i++) {
            ids[i] = UUID.randomUUID();
            types[i] = "OrderLineAdded";
            versions[i] = 1;
            payloads[i] = PAYLOAD.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            metadata[i] = "{}";
            createdAt[i] = Instant.now().toString();
        }
        statement.setString(p++, "Order");
        statement.setString(p++, id);
        statement.setLong(p++, size);
        statement.setArray(p++, connection.createArrayOf("uuid", ids));
        statement.setArray(p++, connection.createArrayOf("text", types));
        statement.setArray(p++, connection.createArrayOf("int4", versions));
        statement.setArray(p++, connection.createArrayOf("bytea", payloads));
        statement.setArray(p++, connection.createArrayOf("text", metadata));
        statement.setArray(p++, connection.createArrayOf("text", nulls));
        statement.setArray(p++, connection.createArrayOf("text", nulls));
        statement.setArray(p++, connection.createArrayOf("text", nulls));
        statement.setArray(p, connection.createArrayOf("text", createdAt));
    }

    private static String multiRowInsert(int size) {
        StringBuilder sql = new StringBuilder("INSERT INTO events (aggregate_type, aggregate_id, aggregate_version,"
                + " event_id, event_type, event_version, payload, metadata, created_at) VALUES ");
        for (int i = 0; i < size; i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, 1, ?, '{}', now())");
        }
        return sql.toString();
    }

    private void report(Path file) throws IOException {
        StringBuilder json = new StringBuilder("{\n  \"machine\": \"" + Runtime.getRuntime().availableProcessors()
                + " cores, " + System.getProperty("java.version") + "\",\n  \"rounds\": " + ROUNDS
                + ",\n  \"roundMillis\": " + ROUND_MILLIS + ",\n  \"results\": [\n");
        System.out.printf(Locale.ROOT, "%n%-58s %12s %12s %12s  %s%n", "measurement", "median", "min", "max", "unit");
        for (int i = 0; i < results.size(); i++) {
            Measurement m = results.get(i);
            System.out.printf(Locale.ROOT, "%-58s %12.1f %12.1f %12.1f  %s%n", m.name(), m.median(), m.min(), m.max(),
                    m.unit());
            json.append(String.format(Locale.ROOT, "    {\"name\": \"%s\", \"unit\": \"%s\", \"median\": %.2f,"
                            + " \"min\": %.2f, \"max\": %.2f}%s%n", m.name(), m.unit(), m.median(), m.min(), m.max(),
                    i + 1 < results.size() ? "," : ""));
        }
        System.out.println();
        for (String size : new String[] {"single-event append", "batch of 10", "batch of 100"}) {
            ratio(size + ": store / raw same statement", size + ": store", size + ": raw JDBC, same statement");
            ratio(size + ": store / bare insert", size + ": store", size + ": raw JDBC, bare multi-row insert");
        }
        for (String label : new String[] {"4 writers, one hot aggregate, any()", "4 writers, one hot aggregate,"
                + " exact(n) + reload", "16 writers, one hot aggregate, any()", "16 writers, one hot aggregate,"
                + " exact(n) + reload"}) {
            ratio(label + ": store / without the aggregate lock", label + ": store",
                    label + ": without the aggregate lock");
        }
        ratio("typed append / prebuilt JSON append", "typed append: toEvents(record) + append",
                "typed append baseline: prebuilt JSON event + append");
        ratio("generated decode / direct JSON-B", "decode: generated fromEvent",
                "decode baseline: jsonb.fromJson(payload, OrderPlaced.class)");
        json.append("  ]\n}\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json.toString());
        System.out.println("Results written to " + file.toAbsolutePath());
    }

    /** Prints median(numerator) / median(denominator) when both were measured in this run. */
    private void ratio(String label, String numerator, String denominator) {
        find(numerator).ifPresent(top -> find(denominator).ifPresent(bottom -> System.out.printf(Locale.ROOT,
                "%-78s = %.2f%n", label, top.median() / bottom.median())));
    }

    private java.util.Optional<Measurement> find(String name) {
        return results.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}

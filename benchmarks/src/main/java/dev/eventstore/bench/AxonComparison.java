package dev.eventstore.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The store side by side with Axon Framework 4's {@link JdbcEventStorageEngine} on the same PostgreSQL database and
 * the same connection pool. Axon is wired as its reference guide recommends for plain JDBC: a
 * {@link DataSourceConnectionProvider} wrapped in a {@link UnitOfWorkAwareConnectionProviderWrapper}, the
 * {@link JacksonSerializer}, the PostgreSQL table factory, the default batch size. Every append is one transaction on
 * each side: the store's on a pooled connection committed by the caller, Axon's in a unit of work whose connection
 * commits with it. The store runs twice: with its default schema (every query index) and without query indexes
 * ({@link StoreConfig#withoutQueryIndexes()}), which is what Axon's table has: no index beyond its keys.
 *
 * <p>Each figure is measured round by round in turn, the side that goes first rotating, so drift on the machine
 * falls on every side alike; after each append phase the rows in every table are counted against what each side says
 * it committed.
 */
final class AxonComparison {

    private static final int GLOBAL_READ = 200_000;
    /** Single-event appends go to aggregates of this many events: one creation, then appends with exact(n). */
    private static final int EVENTS_PER_AGGREGATE = 10;

    /** {@code -Dbench.axon.phases=} a subset of the phases, comma-separated; all by default. */
    private static final List<String> PHASES = List.of(System.getProperty("bench.axon.phases",
            "writers-1,writers-4,writers-16,batch-10,batch-100,stream-10,stream-1000,global").split(","));

    private final BenchReport report;
    private final List<Side> sides;
    private final ObjectMapper json = new ObjectMapper();

    private AxonComparison(BenchReport report, List<Side> sides) {
        this.report = report;
        this.sides = sides;
    }

    static void run(BenchReport report) throws Exception {
        TestDatabase database = TestDatabase.get();
        try (TestSchema axonSchema = database.createEmptySchema();
             TestSchema storeSchema = database.createEmptySchema();
             TestSchema leanSchema = database.createEmptySchema();
             AgroalDataSource pool = BenchDatabase.pool(database, 20)) {
            try (Connection connection = pool.getConnection()) {
                report.describeEnvironment(connection);
            }
            ObjectMapper json = new ObjectMapper();
            StoreSide store = new StoreSide("store", pool, json,
                    BenchDatabase.storeIn(storeSchema, StoreConfig.defaults()));
            StoreSide lean = new StoreSide("store without query indexes", pool, json,
                    BenchDatabase.storeIn(leanSchema, StoreConfig.defaults().withoutQueryIndexes()));
            AxonSide axon = new AxonSide(pool, json, axonSchema.name());
            report.fact("axon", "Axon Framework " + JdbcEventStorageEngine.class.getPackage()
                    .getImplementationVersion() + ", JdbcEventStorageEngine, JacksonSerializer, batch size 100");
            report.fact("workload", "~" + json.writeValueAsBytes(AxonSide.line("0b7e5c1a-4f3e-4c59-9a53-8f2d3c1e9b10",
                    1)).length + "-byte JSON payloads, empty metadata; single appends to aggregates of "
                    + EVENTS_PER_AGGREGATE + " events (noStream, then exact(n)); pool of 20, autocommit off");
            new AxonComparison(report, List.of(store, lean, axon)).measure();
        }
    }


    private void measure() throws Exception {
        for (int writers : new int[] {1, 4, 16}) {
            if (PHASES.contains("writers-" + writers)) {
                singleEventAppends(writers);
            }
        }
        for (int size : new int[] {10, 100}) {
            if (PHASES.contains("batch-" + size)) {
                batchAppends(size);
            }
        }
        for (int size : new int[] {10, 1_000}) {
            if (PHASES.contains("stream-" + size)) {
                streamReads(size);
            }
        }
        if (PHASES.contains("global")) {
            globalReads();
        }
    }

    // ---------------------------------------------------------------------------------------------------- appends

    /** One event per transaction, {@code writers} threads each on aggregates of their own. */
    private void singleEventAppends(int writers) throws Exception {
        String label = "single-event appends, " + writers + " writer" + (writers > 1 ? "s" : "");
        ExecutorService threads = Executors.newFixedThreadPool(writers);
        try {
            compareRounds(label, "appends/s", side -> concurrentRound(threads, writers, side));
        } finally {
            threads.shutdownNow();
        }
        checkRowCounts(label);
    }

    private static double concurrentRound(ExecutorService threads, int writers, Side side) {
        AtomicLong appended = new AtomicLong();
        long deadline = System.nanoTime() + BenchReport.ROUND_MILLIS * 1_000_000;
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        long started = System.nanoTime();
        for (int w = 0; w < writers; w++) {
            runs.add(CompletableFuture.runAsync(() -> {
                String id = null;
                int version = EVENTS_PER_AGGREGATE;
                while (System.nanoTime() < deadline) {
                    if (version == EVENTS_PER_AGGREGATE) {
                        id = UUID.randomUUID().toString();
                        version = 0;
                    }
                    side.append(id, version, 1);
                    version++;
                    appended.incrementAndGet();
                }
            }, threads));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
        return appended.get() / ((System.nanoTime() - started) / 1e9);
    }

    /** Batches of {@code size} events per transaction, each batch creating an aggregate, one writer. */
    private void batchAppends(int size) throws Exception {
        String label = "appends of " + size + "-event batches, 1 writer";
        compareRounds(label, "batches/s", side -> timedRound(() -> {
            side.append(UUID.randomUUID().toString(), 0, size);
            return 1;
        }));
        checkRowCounts(label);
    }

    /** Every table holds exactly what its side says it committed. */
    private void checkRowCounts(String phase) throws SQLException {
        StringBuilder counts = new StringBuilder();
        for (Side side : sides) {
            long rows = side.countRows();
            counts.append(counts.length() == 0 ? "" : ", ").append(side.name()).append(' ').append(rows);
            if (rows != side.appended()) {
                throw new IllegalStateException("after " + phase + " the " + side.name() + " table holds " + rows
                        + " rows for " + side.appended() + " committed events");
            }
        }
        report.fact("rows after " + phase, counts);
    }

    // ------------------------------------------------------------------------------------------------------ reads

    /** The whole stream of one aggregate of {@code size} events, with and without decoding the payloads. */
    private void streamReads(int size) throws Exception {
        String id = UUID.randomUUID().toString();
        for (Side side : sides) {
            for (int from = 0; from < size; from += 100) {
                side.append(id, from, Math.min(100, size - from));
            }
        }
        for (boolean decode : new boolean[] {false, true}) {
            compareRounds("read one stream of " + size + " events" + (decode ? ", payloads decoded" : ""),
                    "reads/s", side -> timedRound(() -> {
                        expect(side.readStream(id, decode), size);
                        return 1;
                    }));
        }
    }

    /** The first {@value #GLOBAL_READ} events of each log, from the beginning, with and without decoding. */
    private void globalReads() throws Exception {
        for (Side side : sides) {
            while (side.appended() < GLOBAL_READ) {
                side.append(UUID.randomUUID().toString(), 0, 100);
            }
        }
        checkRowCounts("filling every log to " + GLOBAL_READ + " events or more");
        for (boolean decode : new boolean[] {false, true}) {
            compareRounds("global read of " + GLOBAL_READ + " events" + (decode ? ", payloads decoded" : ""),
                    "events/s", side -> timedRound(() -> expect(side.readAll(GLOBAL_READ, decode), GLOBAL_READ)));
        }
    }

    private static long expect(long read, long expected) {
        if (read != expected) {
            throw new IllegalStateException("read " + read + " events where " + expected + " were written");
        }
        return read;
    }

    // --------------------------------------------------------------------------------------------------- measuring

    private interface Work {
        /** Does one unit of work and returns how many of the figure's unit it did. */
        long run() throws Exception;
    }

    private interface Round {
        /** One timed round of {@code side}; returns its rate. */
        double run(Side side) throws Exception;
    }

    /**
     * A warm-up round, then {@link BenchReport#ROUNDS} rounds; in each every side runs once, the first side rotating
     * from round to round. Records each side's figure and each store's ratio to Axon.
     */
    private void compareRounds(String label, String unit, Round round) throws Exception {
        List<List<Double>> rates = new ArrayList<>();
        sides.forEach(side -> rates.add(new ArrayList<>()));
        for (int r = 0; r <= BenchReport.ROUNDS; r++) {
            for (int turn = 0; turn < sides.size(); turn++) {
                int s = (r + turn) % sides.size();
                double rate = round.run(sides.get(s));
                if (r > 0) {
                    rates.get(s).add(rate);
                }
            }
        }
        for (int s = 0; s < sides.size(); s++) {
            report.add(new Measurement(label + ": " + sides.get(s).name(), unit, rates.get(s)));
        }
        Side axon = sides.get(sides.size() - 1);
        for (Side side : sides.subList(0, sides.size() - 1)) {
            report.ratio(label + ": " + side.name() + " / Axon", label + ": " + side.name(),
                    label + ": " + axon.name());
        }
    }

    private static double timedRound(Work work) throws Exception {
        long count = 0;
        long started = System.nanoTime();
        long deadline = started + BenchReport.ROUND_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            count += work.run();
        }
        return count / ((System.nanoTime() - started) / 1e9);
    }

    // -------------------------------------------------------------------------------------------------------- sides

    /** One event store under test. */
    private interface Side {
        String name();

        /** Appends events {@code from + 1 .. from + count} to aggregate {@code id} in one transaction. */
        void append(String id, long from, int count);

        /** Reads the whole stream of {@code id}; returns how many events it had. */
        long readStream(String id, boolean decode) throws Exception;

        /** Reads the first {@code count} events of the log; returns how many it read. */
        long readAll(int count, boolean decode) throws Exception;

        /** Events this side committed so far. */
        long appended();

        long countRows() throws SQLException;
    }

    /** The store on a pooled connection per operation, committed by the caller as in a JTA transaction. */
    private static final class StoreSide implements Side {
        private final String name;
        private final AgroalDataSource pool;
        private final ObjectMapper json;
        private final StoreConfig config;
        private final PostgresEventStore store;
        private final AtomicLong appended = new AtomicLong();

        StoreSide(String name, AgroalDataSource pool, ObjectMapper json, StoreConfig config) {
            this.name = name;
            this.pool = pool;
            this.json = json;
            this.config = config;
            this.store = PostgresEventStore.create(config);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void append(String id, long from, int count) {
            try {
                List<Event> events = new ArrayList<>(count);
                for (int i = 1; i <= count; i++) {
                    events.add(Event.builder("Order", id, "OrderLineAdded")
                            .payload(json.writeValueAsBytes(AxonSide.line(id, from + i))).build());
                }
                try (Connection connection = pool.getConnection()) {
                    store.on(connection).append(from == 0 ? ExpectedVersion.noStream()
                            : ExpectedVersion.exact(from), events);
                    connection.commit();
                }
            } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            appended.addAndGet(count);
        }

        @Override
        public long readStream(String id, boolean decode) throws Exception {
            try (Connection connection = pool.getConnection()) {
                List<PersistedEvent> events = store.on(connection).readAggregateStream("Order", id).events();
                decode(events, decode);
                connection.commit();
                return events.size();
            }
        }

        @Override
        public long readAll(int count, boolean decode) throws Exception {
            try (Connection connection = pool.getConnection()) {
                var events = store.on(connection);
                long read = 0;
                long after = 0;
                while (read < count) {
                    List<PersistedEvent> page = events.readEvents(after, (int) Math.min(1_000, count - read));
                    decode(page, decode);
                    read += page.size();
                    after = page.get(page.size() - 1).globalPosition();
                }
                connection.commit();
                return read;
            }
        }

        private void decode(List<PersistedEvent> events, boolean decode) throws java.io.IOException {
            if (decode) {
                for (PersistedEvent event : events) {
                    json.readValue(event.payload(), OrderLineAdded.class);
                }
            }
        }

        @Override
        public long appended() {
            return appended.get();
        }

        @Override
        public long countRows() throws SQLException {
            return BenchDatabase.countRows(pool, config.eventsTable().sql());
        }
    }

    /** Axon's JDBC engine: one unit of work per append and per stream read, as an Axon application runs them. */
    private static final class AxonSide implements Side {
        private final AgroalDataSource pool;
        private final String table;
        private final JdbcEventStorageEngine engine;
        private final AtomicLong appended = new AtomicLong();

        AxonSide(AgroalDataSource pool, ObjectMapper json, String schema) {
            this.pool = pool;
            this.table = schema + ".domainevententry";
            JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(json).build();
            this.engine = JdbcEventStorageEngine.builder()
                    .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(
                            new DataSourceConnectionProvider(pool)))
                    .transactionManager(NoTransactionManager.INSTANCE)
                    .eventSerializer(serializer)
                    .snapshotSerializer(serializer)
                    .schema(org.axonframework.eventsourcing.eventstore.jdbc.EventSchema.builder()
                            .eventTable(table).snapshotTable(schema + ".snapshotevententry").build())
                    .build();
            DefaultUnitOfWork.startAndGet(null).execute(() -> engine.createSchema(PostgresEventTableFactory.INSTANCE));
        }

        static OrderLineAdded line(String id, long n) {
            return new OrderLineAdded(id, "alice@example.com", "BOOK-" + n, 2, 1250, "EUR");
        }

        @Override
        public String name() {
            return "Axon";
        }

        /** Axon counts sequence numbers from 0: the store's version n is Axon's n - 1. */
        @Override
        public void append(String id, long from, int count) {
            List<EventMessage<?>> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                events.add(new GenericDomainEventMessage<>("Order", id, from + i, line(id, from + i + 1)));
            }
            DefaultUnitOfWork.startAndGet(null).execute(() -> engine.appendEvents(events));
            appended.addAndGet(count);
        }

        @Override
        public long readStream(String id, boolean decode) {
            return DefaultUnitOfWork.startAndGet(null).executeWithResult(() -> {
                DomainEventStream stream = engine.readEvents(id);
                long read = 0;
                while (stream.hasNext()) {
                    EventMessage<?> event = stream.next();
                    if (!decode || event.getPayload() != null) {
                        read++;
                    }
                }
                return read;
            }).getPayload();
        }

        @Override
        public long readAll(int count, boolean decode) {
            try (Stream<? extends TrackedEventMessage<?>> events = engine.readEvents(null, false)) {
                return events.limit(count).filter(event -> !decode || event.getPayload() != null).count();
            }
        }

        @Override
        public long appended() {
            return appended.get();
        }

        @Override
        public long countRows() throws SQLException {
            return BenchDatabase.countRows(pool, table);
        }
    }
}

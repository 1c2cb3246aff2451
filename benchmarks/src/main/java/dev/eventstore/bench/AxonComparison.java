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
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The store side by side with Axon Framework 4's {@link JdbcEventStorageEngine} on the same PostgreSQL schema and the
 * same connection pool, wired as Axon's reference guide recommends for plain JDBC (a {@link DataSourceConnectionProvider}
 * wrapped in a {@link UnitOfWorkAwareConnectionProviderWrapper}, the {@link JacksonSerializer}, the PostgreSQL table
 * factory, default batch size). Every append is one transaction on both sides: the store's on a pooled connection
 * committed by the caller, Axon's in a unit of work whose connection commits with it.
 *
 * <p>Each figure is measured round by round in turn (store, Axon, Axon, store, ...), so drift on the machine falls on
 * both sides alike, and after each append phase the rows in both tables are counted against what each side says it
 * committed.
 */
final class AxonComparison {

    private static final int GLOBAL_READ = 200_000;
    /** Single-event appends go to aggregates of this many events: one creation, then appends with exact(n). */
    private static final int EVENTS_PER_AGGREGATE = 10;

    private final BenchReport report;
    private final AgroalDataSource pool;
    private final TestSchema schema;
    private final ObjectMapper json = new ObjectMapper();
    private final PostgresEventStore store = PostgresEventStore.create(StoreConfig.defaults());
    private final JdbcEventStorageEngine axon;
    private final AtomicLong storeAppended = new AtomicLong();
    private final AtomicLong axonAppended = new AtomicLong();

    private AxonComparison(BenchReport report, TestSchema schema, AgroalDataSource pool) {
        this.report = report;
        this.schema = schema;
        this.pool = pool;
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(json).build();
        this.axon = JdbcEventStorageEngine.builder()
                .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(
                        new DataSourceConnectionProvider(pool)))
                .transactionManager(NoTransactionManager.INSTANCE)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .build();
        axon.createSchema(PostgresEventTableFactory.INSTANCE);
    }

    static void run(BenchReport report) throws Exception {
        try (TestSchema schema = TestDatabase.get().createSchema(StoreConfig.defaults());
             AgroalDataSource pool = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                     .connectionPoolConfiguration(config -> config.maxSize(20).initialSize(20)
                             .connectionFactoryConfiguration(factory -> factory.jdbcUrl(schema.url())
                                     .autoCommit(false)
                                     .principal(new NamePrincipal(schema.database().user()))
                                     .credential(new SimplePassword(schema.database().password())))))) {
            try (Connection connection = pool.getConnection()) {
                report.describeEnvironment(connection);
            }
            report.fact("axon", "Axon Framework " + JdbcEventStorageEngine.class.getPackage().getImplementationVersion()
                    + ", JdbcEventStorageEngine, JacksonSerializer, batch size 100");
            new AxonComparison(report, schema, pool).measure();
        }
    }

    private void measure() throws Exception {
        for (int writers : new int[] {1, 4, 16}) {
            singleEventAppends(writers);
        }
        for (int size : new int[] {10, 100}) {
            batchAppends(size);
        }
        for (int size : new int[] {10, 1_000}) {
            streamReads(size);
        }
        globalReads();
    }

    // ---------------------------------------------------------------------------------------------------- appends

    /** One event per transaction, {@code writers} threads each on aggregates of their own. */
    private void singleEventAppends(int writers) throws Exception {
        String label = "single-event appends, " + writers + " writer" + (writers > 1 ? "s" : "");
        List<Double> storeRates = new ArrayList<>();
        List<Double> axonRates = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round <= BenchReport.ROUNDS; round++) {
                boolean storeFirst = round % 2 == 0;
                for (int turn = 0; turn < 2; turn++) {
                    boolean storeTurn = storeFirst == (turn == 0);
                    double rate = concurrentRound(threads, writers, storeTurn);
                    if (round > 0) {
                        (storeTurn ? storeRates : axonRates).add(rate);
                    }
                }
            }
        } finally {
            threads.shutdownNow();
        }
        compare(label, "appends/s", storeRates, axonRates);
        checkRowCounts(label);
    }

    private double concurrentRound(ExecutorService threads, int writers, boolean storeTurn) {
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
                    if (storeTurn) {
                        storeAppend(id, version, 1);
                    } else {
                        axonAppend(id, version, 1);
                    }
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
        compare(label, "batches/s",
                () -> {
                    storeAppend(UUID.randomUUID().toString(), 0, size);
                    return 1;
                },
                () -> {
                    axonAppend(UUID.randomUUID().toString(), 0, size);
                    return 1;
                });
        checkRowCounts(label);
    }

    /** Appends events {@code from + 1 .. from + count} to the store's aggregate, expecting version {@code from}. */
    private void storeAppend(String id, long from, int count) {
        List<Event> events = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            events.add(Event.builder("Order", id, "OrderLineAdded").payload(payload(id, from + i)).build());
        }
        try (Connection connection = pool.getConnection()) {
            store.on(connection).append(from == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exact(from), events);
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        storeAppended.addAndGet(count);
    }

    /** Appends Axon sequence numbers {@code from .. from + count - 1} (Axon counts from 0) in one unit of work. */
    private void axonAppend(String id, long from, int count) {
        List<EventMessage<?>> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(new GenericDomainEventMessage<>("Order", id, from + i, line(id, from + i + 1)));
        }
        DefaultUnitOfWork.startAndGet(null).execute(() -> axon.appendEvents(events));
        axonAppended.addAndGet(count);
    }

    private OrderLineAdded line(String id, long n) {
        return new OrderLineAdded(id, "alice@example.com", "BOOK-" + n, 2, 1250, "EUR");
    }

    private byte[] payload(String id, long n) {
        try {
            return json.writeValueAsBytes(line(id, n));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Both tables hold exactly what each side says it committed. */
    private void checkRowCounts(String phase) throws SQLException {
        long storeRows = schema.queryLong("SELECT count(*) FROM events");
        long axonRows = schema.queryLong("SELECT count(*) FROM domainevententry");
        report.fact("rows after " + phase, "store " + storeRows + ", Axon " + axonRows);
        if (storeRows != storeAppended.get() || axonRows != axonAppended.get()) {
            throw new IllegalStateException("after " + phase + " the store's table holds " + storeRows + " rows for "
                    + storeAppended.get() + " committed events and Axon's " + axonRows + " for " + axonAppended.get());
        }
    }

    // ------------------------------------------------------------------------------------------------------ reads

    /** The whole stream of one aggregate of {@code size} events, with and without decoding the payloads. */
    private void streamReads(int size) throws Exception {
        String id = UUID.randomUUID().toString();
        for (int from = 0; from < size; from += 100) {
            storeAppend(id, from, Math.min(100, size - from));
            axonAppend(id, from, Math.min(100, size - from));
        }
        for (boolean decode : new boolean[] {false, true}) {
            compare("read one stream of " + size + " events" + (decode ? ", payloads decoded" : ""), "reads/s",
                    () -> storeReadStream(id, size, decode), () -> axonReadStream(id, size, decode));
        }
    }

    private long storeReadStream(String id, int size, boolean decode) throws Exception {
        try (Connection connection = pool.getConnection()) {
            List<PersistedEvent> events = store.on(connection).readAggregateStream("Order", id).events();
            for (PersistedEvent event : events) {
                if (decode) {
                    json.readValue(event.payload(), OrderLineAdded.class);
                }
            }
            connection.commit();
            expect(events.size(), size);
            return 1;
        }
    }

    private long axonReadStream(String id, int size, boolean decode) {
        return DefaultUnitOfWork.startAndGet(null).executeWithResult(() -> {
            DomainEventStream stream = axon.readEvents(id);
            int read = 0;
            while (stream.hasNext()) {
                Object payload = stream.next();
                if (decode) {
                    payload = ((EventMessage<?>) payload).getPayload();
                }
                read += payload != null ? 1 : 0;
            }
            expect(read, size);
            return 1L;
        }).getPayload();
    }

    /** The first {@value #GLOBAL_READ} events of each log, from the beginning, with and without decoding. */
    private void globalReads() throws Exception {
        long storeMissing = GLOBAL_READ - storeAppended.get();
        long axonMissing = GLOBAL_READ - axonAppended.get();
        for (long i = 0; i < Math.max(storeMissing, axonMissing); i += 100) {
            if (i < storeMissing) {
                storeAppend(UUID.randomUUID().toString(), 0, 100);
            }
            if (i < axonMissing) {
                axonAppend(UUID.randomUUID().toString(), 0, 100);
            }
        }
        checkRowCounts("filling both logs to " + GLOBAL_READ + " events or more");
        for (boolean decode : new boolean[] {false, true}) {
            compare("global read of " + GLOBAL_READ + " events" + (decode ? ", payloads decoded" : ""), "events/s",
                    () -> storeReadAll(decode), () -> axonReadAll(decode));
        }
    }

    private long storeReadAll(boolean decode) throws Exception {
        try (Connection connection = pool.getConnection()) {
            var events = store.on(connection);
            long read = 0;
            long after = 0;
            while (read < GLOBAL_READ) {
                List<PersistedEvent> page = events.readEvents(after, (int) Math.min(1_000, GLOBAL_READ - read));
                for (PersistedEvent event : page) {
                    if (decode) {
                        json.readValue(event.payload(), OrderLineAdded.class);
                    }
                }
                read += page.size();
                after = page.get(page.size() - 1).globalPosition();
            }
            connection.commit();
            return read;
        }
    }

    private long axonReadAll(boolean decode) {
        long read;
        try (Stream<? extends TrackedEventMessage<?>> events = axon.readEvents(null, false)) {
            read = events.limit(GLOBAL_READ).filter(event -> !decode || event.getPayload() != null).count();
        }
        return expect(read, GLOBAL_READ);
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

    /** Round by round in turn, the side that goes first alternating; a warm-up round first. */
    private void compare(String label, String unit, Work storeWork, Work axonWork) throws Exception {
        List<Double> storeRates = new ArrayList<>();
        List<Double> axonRates = new ArrayList<>();
        for (int round = 0; round <= BenchReport.ROUNDS; round++) {
            boolean storeFirst = round % 2 == 0;
            for (int turn = 0; turn < 2; turn++) {
                boolean storeTurn = storeFirst == (turn == 0);
                double rate = timedRound(storeTurn ? storeWork : axonWork);
                if (round > 0) {
                    (storeTurn ? storeRates : axonRates).add(rate);
                }
            }
        }
        compare(label, unit, storeRates, axonRates);
    }

    private void compare(String label, String unit, List<Double> storeRates, List<Double> axonRates) {
        report.add(new Measurement(label + ": store", unit, storeRates));
        report.add(new Measurement(label + ": Axon", unit, axonRates));
        report.ratio(label + ": store / Axon", label + ": store", label + ": Axon");
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
}

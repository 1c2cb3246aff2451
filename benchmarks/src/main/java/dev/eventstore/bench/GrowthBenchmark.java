package dev.eventstore.bench;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.query.EventQuery;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The cost of appends and reads as the log grows: the log is bulk-loaded in SQL to each size in turn (1, 10 and 30
 * million events by default, {@code -Dbench.growthSizes}), and at each size the store's public API is measured on it:
 * single-event appends to existing aggregates with {@code exact(n)} and to new ones, reads of one aggregate's stream,
 * a global read from the middle of the log, a type query and a metadata-containment query. Both table layouts are
 * measured, the partitioned one at {@code -Dbench.growthPartitionedSizes} (1 and 10 million by default) with
 * partitions of {@code -Dbench.growthPartitionSize} positions; at a size measured on both, rounds alternate between
 * them. Table and index sizes are recorded as facts, and every figure is compared with the same layout's figure at the
 * first size.
 *
 * <p>The loaded history looks like an order service's: aggregates of ten events with their {@code aggregate_heads}
 * rows, four event types, payloads of about 120 bytes of JSON, metadata with a tenant and an order reference,
 * increasing creation times, one transaction per loaded chunk. The indexes that are not the primary key are dropped
 * for the load and built again afterwards, and the catalog's definitions of every index and constraint are compared
 * before and after, so the schema measured is exactly the one the store creates.
 */
final class GrowthBenchmark {

    private static final List<Long> SIZES = sizes("bench.growthSizes", "1000000,10000000,30000000");
    private static final List<Long> PARTITIONED_SIZES = sizes("bench.growthPartitionedSizes", "1000000,10000000");
    private static final long PARTITION_SIZE = Long.getLong("bench.growthPartitionSize", 1_000_000);
    private static final int EVENTS_PER_AGGREGATE = 10;
    /** Events per loading statement and transaction. */
    private static final long CHUNK = 250_000;
    private static final int GLOBAL_READ = 10_000;
    private static final int PAGE = 1_000;

    private final BenchReport report;
    private final List<Layout> layouts = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(42);

    private GrowthBenchmark(BenchReport report) {
        this.report = report;
    }

    static void run(BenchReport report) throws Exception {
        GrowthBenchmark benchmark = new GrowthBenchmark(report);
        try {
            benchmark.measure();
        } finally {
            for (Layout layout : benchmark.layouts) {
                layout.close();
            }
        }
    }

    private static List<Long> sizes(String property, String defaults) {
        String value = System.getProperty(property, defaults);
        List<Long> sizes = new ArrayList<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            long size = Long.parseLong(part.trim().replace("_", ""));
            if (size < 1_000 || size % EVENTS_PER_AGGREGATE != 0) {
                throw new IllegalArgumentException(property + " must list sizes of at least 1000 events, each a"
                        + " multiple of " + EVENTS_PER_AGGREGATE + ", was " + value);
            }
            sizes.add(size);
        }
        if (!sizes.stream().sorted().toList().equals(sizes)) {
            throw new IllegalArgumentException(property + " must list increasing sizes, was " + value);
        }
        return sizes;
    }

    private void measure() throws Exception {
        for (long size : PARTITIONED_SIZES) {
            if (!SIZES.contains(size)) {
                throw new IllegalArgumentException("bench.growthPartitionedSizes " + PARTITIONED_SIZES
                        + " must be among bench.growthSizes " + SIZES);
            }
        }
        report.fact("sizes", SIZES + " (plain), " + PARTITIONED_SIZES + " (partitioned, " + PARTITION_SIZE
                + " positions per partition)");
        report.fact("history", EVENTS_PER_AGGREGATE + " events per aggregate, ~120-byte JSON payloads, metadata"
                + " {tenant, orderRef}, 4 event types, one transaction per " + CHUNK + " loaded events");
        Layout plain = new Layout("plain", StoreConfig.defaults());
        layouts.add(plain);
        try (Connection connection = plain.pool.getConnection()) {
            report.describeEnvironment(connection);
            connection.commit();
        }
        Layout partitioned = null;
        for (long size : SIZES) {
            List<Layout> measured = new ArrayList<>(List.of(plain));
            if (PARTITIONED_SIZES.contains(size)) {
                if (partitioned == null) {
                    partitioned = new Layout("partitioned",
                            StoreConfig.defaults().withPartitioning(PARTITION_SIZE));
                    layouts.add(partitioned);
                }
                measured.add(partitioned);
            } else if (partitioned != null && size > PARTITIONED_SIZES.get(PARTITIONED_SIZES.size() - 1)) {
                // Past its last size: give its disk space back before the larger load.
                partitioned.close();
                layouts.remove(partitioned);
                partitioned = null;
            }
            for (Layout layout : measured) {
                layout.loadTo(size);
                layout.recordSizes();
            }
            measureAt(size, measured);
        }
    }

    // ------------------------------------------------------------------------------------------------ measuring

    private void measureAt(long size, List<Layout> measured) throws Exception {
        compare(size, measured, "single-event append, existing aggregate, exact(n)", "appends/s",
                Layout::appendToExisting);
        compare(size, measured, "single-event append, new aggregate, noStream()", "appends/s", Layout::appendNew);
        compare(size, measured, "read one aggregate's stream (10 events, from the older half)", "reads/s",
                Layout::readStream);
        compare(size, measured, "global read of " + GLOBAL_READ + " events from the middle, pages of " + PAGE,
                "events/s", Layout::readGlobal);
        compare(size, measured, "type query, 100 events after a middle position", "queries/s", Layout::queryType);
        compare(size, measured, "metadata-containment query (one order's 10 events)", "queries/s",
                Layout::queryMetadata);
    }

    @FunctionalInterface
    private interface Operation {
        /** Does one unit of work on {@code layout} and returns how many of the figure's unit it did. */
        long run(Layout layout) throws Exception;
    }

    /** Round by round, the layouts in turn (alternating which goes first), after one warm-up round each. */
    private void compare(long size, List<Layout> measured, String operation, String unit, Operation work)
            throws Exception {
        Map<Layout, List<Double>> rates = new LinkedHashMap<>();
        for (Layout layout : measured) {
            rates.put(layout, new ArrayList<>());
        }
        for (int round = 0; round <= BenchReport.ROUNDS; round++) {
            List<Layout> order = new ArrayList<>(measured);
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (Layout layout : order) {
                double rate = timedRound(layout, work);
                if (round > 0) {
                    rates.get(layout).add(rate);
                }
            }
        }
        for (Layout layout : measured) {
            String name = figure(layout.name, size, operation);
            report.add(new Measurement(name, unit, rates.get(layout)));
            long first = layout.firstSize;
            if (first != size) {
                report.ratio(layout.name + ": " + operation + ": " + millions(size) + " / " + millions(first), name,
                        figure(layout.name, first, operation));
            }
        }
        if (measured.size() == 2) {
            report.ratio(millions(size) + ": " + operation + ": partitioned / plain",
                    figure(measured.get(1).name, size, operation), figure(measured.get(0).name, size, operation));
        }
    }

    private static String figure(String layout, long size, String operation) {
        return layout + " " + millions(size) + ": " + operation;
    }

    private static String millions(long size) {
        return size % 1_000_000 == 0 ? size / 1_000_000 + "M" : String.format(Locale.ROOT, "%.1fM", size / 1e6);
    }

    private static double timedRound(Layout layout, Operation work) throws Exception {
        long count = 0;
        long started = System.nanoTime();
        long deadline = started + BenchReport.ROUND_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            count += work.run(layout);
        }
        return count / ((System.nanoTime() - started) / 1e9);
    }

    // ------------------------------------------------------------------------------------------------- a layout

    /** One schema with one table layout, its pool, and what the measurements appended to it. */
    private final class Layout implements AutoCloseable {

        private final String name;
        private final StoreConfig config;
        private final PostgresEventStore store;
        private final TestSchema schema;
        private final AgroalDataSource pool;
        /** Versions of loaded aggregates appended to by the measurements, by aggregate number. */
        private final Map<Long, Long> appendedVersions = new HashMap<>();
        private long loaded;
        private long firstSize;
        private boolean closed;

        Layout(String name, StoreConfig config) throws SQLException {
            this.name = name;
            this.config = config;
            this.store = PostgresEventStore.create(config);
            this.schema = TestDatabase.get().createEmptySchema();
            try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
                statement.execute(dev.eventstore.migration.MigrationGenerator.schemaSql(config));
            }
            this.pool = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(pool -> pool.maxSize(4).initialSize(2)
                            .connectionFactoryConfiguration(factory -> factory.jdbcUrl(schema.url())
                                    .autoCommit(false)
                                    .principal(new NamePrincipal(schema.database().user()))
                                    .credential(new SimplePassword(schema.database().password())))));
        }

        private long aggregates() {
            return loaded / EVENTS_PER_AGGREGATE;
        }

        /** Loads events {@code loaded + 1 .. size}, with the secondary indexes dropped meanwhile. */
        void loadTo(long size) throws SQLException {
            if (firstSize == 0) {
                firstSize = size;
            }
            if (size <= loaded) {
                return;
            }
            long started = System.nanoTime();
            try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
                statement.execute("SET maintenance_work_mem = '512MB'");
                if (config.isPartitioned()) {
                    long ahead = (size + 100_000) / PARTITION_SIZE + 2;
                    store.createPartitionsAhead(connection, (int) Math.min(Integer.MAX_VALUE, ahead));
                }
                String before = catalog(statement);
                List<String> rebuild = dropSecondaryIndexes(statement);
                long dropped = System.nanoTime();
                connection.setAutoCommit(false);
                for (long from = loaded; from < size; from += CHUNK) {
                    loadChunk(statement, from, Math.min(size, from + CHUNK));
                    connection.commit();
                }
                connection.setAutoCommit(true);
                long inserted = System.nanoTime();
                for (String ddl : rebuild) {
                    statement.execute(ddl);
                }
                long indexed = System.nanoTime();
                String after = catalog(statement);
                if (!before.equals(after)) {
                    throw new IllegalStateException("the " + name + " schema differs after the load:\nbefore\n"
                            + before + "\nafter\n" + after);
                }
                statement.execute("VACUUM (ANALYZE) events");
                statement.execute("VACUUM (ANALYZE) aggregate_heads");
                if (config.isPartitioned()) {
                    statement.execute("VACUUM (ANALYZE) events_event_ids");
                }
                long vacuumed = System.nanoTime();
                report.fact(name + " " + millions(size) + ": load of " + (size - loaded) + " events",
                        String.format(Locale.ROOT, "%.1f s (insert %.1f s, %d index and constraint builds %.1f s,"
                                        + " vacuum and analyze %.1f s)", (vacuumed - started) / 1e9,
                                (inserted - dropped) / 1e9, rebuild.size(), (indexed - inserted) / 1e9,
                                (vacuumed - indexed) / 1e9));
            }
            loaded = size;
        }

        /**
         * Events {@code from + 1 .. to} (zero-based numbers {@code from .. to - 1}), and the heads of their
         * aggregates, in one transaction. Event {@code k} is version {@code k % 10 + 1} of order {@code k / 10}.
         */
        private void loadChunk(Statement statement, long from, long to) throws SQLException {
            statement.execute("INSERT INTO events (aggregate_type, aggregate_id, aggregate_version, event_id,"
                    + " event_type, event_version, payload, metadata, correlation_id, created_at, topic)"
                    + " SELECT 'Order', 'order-' || a, v, gen_random_uuid(),"
                    + " CASE v WHEN 1 THEN 'OrderPlaced' WHEN 10 THEN 'OrderConfirmed'"
                    + " ELSE CASE WHEN v % 2 = 0 THEN 'OrderLineAdded' ELSE 'OrderLinePriced' END END, 1,"
                    + " convert_to(json_build_object('orderId', 'order-' || a, 'sku', 'SKU-' || (k % 997),"
                    + " 'quantity', k % 5 + 1, 'unitPriceCents', 100 + k % 9000, 'currency', 'EUR',"
                    + " 'customer', 'customer-' || (a % 50000))::text, 'UTF8'),"
                    + " jsonb_build_object('tenant', 'tenant-' || (a % 20), 'orderRef', 'ref-' || a),"
                    + " 'checkout-' || a,"
                    + " timestamptz '2024-01-01 00:00:00+00' + k * interval '10 milliseconds',"
                    + " CASE v WHEN 1 THEN 'order.placed' END"
                    + " FROM generate_series(" + from + "::bigint, " + (to - 1) + "::bigint) AS k,"
                    + " LATERAL (SELECT k / " + EVENTS_PER_AGGREGATE + " AS a, k % " + EVENTS_PER_AGGREGATE
                    + " + 1 AS v) AS e ORDER BY k");
            statement.execute("INSERT INTO aggregate_heads (aggregate_type, aggregate_id, aggregate_version)"
                    + " SELECT 'Order', 'order-' || a, " + EVENTS_PER_AGGREGATE + " FROM generate_series("
                    + from / EVENTS_PER_AGGREGATE + "::bigint, " + (to / EVENTS_PER_AGGREGATE - 1) + "::bigint)"
                    + " AS a");
        }

        /**
         * Drops every index and unique constraint of the event tables except the primary key on the position, and
         * returns the statements that build them again: constraints first, then indexes. A partition's copy of a
         * partitioned index goes and comes back with it.
         */
        private List<String> dropSecondaryIndexes(Statement statement) throws SQLException {
            List<String> drops = new ArrayList<>();
            List<String> constraints = new ArrayList<>();
            List<String> indexes = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT i.indexrelid::regclass::text,"
                    + " pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
                    + " WHERE t.relnamespace = current_schema()::regnamespace AND " + eventTables("t")
                    + " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
                    + " AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)"
                    + " ORDER BY 1")) {
                while (rows.next()) {
                    drops.add("DROP INDEX " + rows.getString(1));
                    indexes.add(rows.getString(2).replace(" ON ONLY ", " ON "));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT c.conrelid::regclass::text, c.conname,"
                    + " pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
                    + " WHERE t.relnamespace = current_schema()::regnamespace AND t.relname IN ('events',"
                    + " 'events_event_ids') AND (c.contype = 'u' OR (c.contype = 'p' AND t.relname ="
                    + " 'events_event_ids')) ORDER BY 2")) {
                while (rows.next()) {
                    drops.add("ALTER TABLE " + rows.getString(1) + " DROP CONSTRAINT \"" + rows.getString(2) + "\"");
                    constraints.add("ALTER TABLE " + rows.getString(1) + " ADD CONSTRAINT \"" + rows.getString(2)
                            + "\" " + rows.getString(3));
                }
            }
            for (String drop : drops) {
                statement.execute(drop);
            }
            List<String> rebuild = new ArrayList<>(constraints);
            rebuild.addAll(indexes);
            return rebuild;
        }

        private static String eventTables(String alias) {
            return "(" + alias + ".relname IN ('events', 'events_event_ids') OR " + alias
                    + ".relname ~ '^events_p[0-9]+$')";
        }

        /** Every index and constraint of the event tables, as the catalog defines them. */
        private String catalog(Statement statement) throws SQLException {
            StringBuilder catalog = new StringBuilder();
            try (ResultSet rows = statement.executeQuery("SELECT i.indexrelid::regclass::text || ' '"
                    + " || pg_get_indexdef(i.indexrelid) || ' ' || i.indisvalid || ' ' || coalesce((SELECT"
                    + " h.inhparent::regclass::text FROM pg_inherits h WHERE h.inhrelid = i.indexrelid), '-')"
                    + " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
                    + " WHERE t.relnamespace = current_schema()::regnamespace AND " + eventTables("t")
                    + " UNION ALL SELECT c.conrelid::regclass::text || ' ' || c.conname || ' '"
                    + " || pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
                    + " WHERE t.relnamespace = current_schema()::regnamespace AND " + eventTables("t")
                    + " ORDER BY 1")) {
                while (rows.next()) {
                    catalog.append(rows.getString(1)).append('\n');
                }
            }
            return catalog.toString();
        }

        /** Table, index and total sizes, per table and per index; a partitioned table's summed over partitions. */
        void recordSizes() throws SQLException {
            try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
                String relations = "WITH rel AS (SELECT c.oid, c.relname, c.relkind,"
                        + " coalesce((SELECT h.inhparent FROM pg_inherits h WHERE h.inhrelid = c.oid), c.oid)"
                        + " AS parent FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace)";
                try (ResultSet rows = statement.executeQuery(relations + " SELECT p.relname,"
                        + " sum(pg_relation_size(r.oid)), sum(pg_indexes_size(r.oid)),"
                        + " sum(pg_total_relation_size(r.oid)) FROM rel r JOIN pg_class p ON p.oid = r.parent"
                        + " WHERE r.relkind = 'r' GROUP BY p.relname ORDER BY 1")) {
                    while (rows.next()) {
                        report.fact(name + " " + millions(loaded) + ": table " + rows.getString(1),
                                String.format(Locale.ROOT, "heap %s, indexes %s, total %s", mb(rows.getLong(2)),
                                        mb(rows.getLong(3)), mb(rows.getLong(4))));
                    }
                }
                // Partition indexes summed under the partitioned index they belong to, or under one name for the
                // partitions' own stream-version indexes.
                try (ResultSet rows = statement.executeQuery(relations + " SELECT CASE WHEN r.parent <> r.oid"
                        + " THEN (SELECT relname FROM pg_class WHERE oid = r.parent) ELSE regexp_replace(r.relname,"
                        + " '^events_p[0-9]+_', 'events_p*_') END, count(*), sum(pg_relation_size(r.oid))"
                        + " FROM rel r WHERE r.relkind = 'i' GROUP BY 1 ORDER BY 1")) {
                    while (rows.next()) {
                        report.fact(name + " " + millions(loaded) + ": index " + rows.getString(1)
                                + (rows.getLong(2) > 1 ? " (" + rows.getLong(2) + " partitions)" : ""),
                                mb(rows.getLong(3)));
                    }
                }
            }
        }

        private static String mb(long bytes) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
        }

        // ----------------------------------------------------------------------------------------- operations

        long appendToExisting() throws SQLException {
            long aggregate = random.nextLong(aggregates());
            long version = appendedVersions.getOrDefault(aggregate, (long) EVENTS_PER_AGGREGATE);
            append("order-" + aggregate, ExpectedVersion.exact(version), "OrderLineAdded");
            appendedVersions.put(aggregate, version + 1);
            return 1;
        }

        long appendNew() throws SQLException {
            append("new-" + UUID.randomUUID(), ExpectedVersion.noStream(), "OrderPlaced");
            return 1;
        }

        private void append(String id, ExpectedVersion expected, String type) throws SQLException {
            byte[] payload = ("{\"orderId\":\"" + id + "\",\"sku\":\"SKU-1\",\"quantity\":2,\"unitPriceCents\":1250,"
                    + "\"currency\":\"EUR\",\"customer\":\"customer-1\"}").getBytes(StandardCharsets.UTF_8);
            Event event = Event.builder("Order", id, type).payload(payload)
                    .metadata("{\"tenant\":\"tenant-1\",\"orderRef\":\"" + id + "\"}").build();
            try (Connection connection = pool.getConnection()) {
                store.on(connection).append(expected, List.of(event));
                connection.commit();
            }
        }

        long readStream() throws SQLException {
            long aggregate = random.nextLong(Math.max(1, aggregates() / 2));
            try (Connection connection = pool.getConnection()) {
                List<PersistedEvent> events = store.on(connection).readAggregateStream("Order", "order-" + aggregate)
                        .events();
                connection.commit();
                expectAtLeast(events.size(), EVENTS_PER_AGGREGATE);
            }
            return 1;
        }

        long readGlobal() throws SQLException {
            long after = loaded / 2 + random.nextLong(loaded / 4);
            long read = 0;
            try (Connection connection = pool.getConnection()) {
                EventStore events = store.on(connection);
                while (read < GLOBAL_READ) {
                    List<PersistedEvent> page = events.readEvents(after, PAGE);
                    read += page.size();
                    after = page.get(page.size() - 1).globalPosition();
                }
                connection.commit();
            }
            return read;
        }

        long queryType() throws SQLException {
            long after = loaded / 2 + random.nextLong(loaded / 4);
            try (Connection connection = pool.getConnection()) {
                List<PersistedEvent> events = store.on(connection).query(EventQuery.builder()
                        .eventTypes("OrderConfirmed").afterPosition(after).limit(100).build());
                connection.commit();
                expectAtLeast(events.size(), 100);
            }
            return 1;
        }

        long queryMetadata() throws SQLException {
            long aggregate = random.nextLong(aggregates());
            try (Connection connection = pool.getConnection()) {
                List<PersistedEvent> events = store.on(connection).query(EventQuery.builder()
                        .metadataContains("{\"orderRef\":\"ref-" + aggregate + "\"}").limit(100).build());
                connection.commit();
                expectAtLeast(events.size(), EVENTS_PER_AGGREGATE);
            }
            return 1;
        }

        private void expectAtLeast(long read, long expected) {
            if (read < expected) {
                throw new IllegalStateException(name + ": read " + read + " events where at least " + expected
                        + " are stored");
            }
        }

        @Override
        public void close() throws SQLException {
            if (closed) {
                return;
            }
            closed = true;
            pool.close();
            schema.close();
        }

        @Override
        public String toString() {
            return name + " " + Arrays.asList(config.eventsTable(), config.positionsPerPartition());
        }
    }
}

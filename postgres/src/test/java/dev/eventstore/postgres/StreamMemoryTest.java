package dev.eventstore.postgres;

import dev.eventstore.PersistedEvent;
import dev.eventstore.query.EventQuery;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams a million events and checks the heap stays bounded: loading them all would take several hundred
 * megabytes, a cursor needs a fetch's worth. The rows go straight into the table with one set-based INSERT.
 */
class StreamMemoryTest {

    private static final int EVENTS = 1_000_000;
    private static final int SAMPLE_EVERY = 100_000;
    /** Far below what a million materialised events occupy (each is several hundred bytes). */
    private static final long MAX_GROWTH_BYTES = 48L * 1024 * 1024;

    private static TestSchema schema;

    @BeforeAll
    static void createMillionEvents() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            // No secondary indexes during the bulk load: they only slow it down and this test never uses them.
            statement.execute("DROP INDEX events_metadata_idx, events_created_at_idx, events_event_type_idx,"
                    + " events_transaction_idx");
            statement.execute("INSERT INTO events (aggregate_type, aggregate_id, aggregate_version, event_id,"
                    + " event_type, event_version, payload, metadata, created_at)"
                    + " SELECT 'Bulk', 'bulk-' || (n / 1000), n % 1000 + 1, gen_random_uuid(), 'bulk.loaded', 1,"
                    + " convert_to('{\"n\":' || n || ',\"text\":\"' || repeat('x', 100) || '\"}', 'UTF8'),"
                    + " '{\"source\":\"bulk\"}'::jsonb, now() - make_interval(secs => " + EVENTS + " - n)"
                    + " FROM generate_series(0, " + (EVENTS - 1) + ") AS n");
            statement.execute("ANALYZE events");
        }
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    @Test
    void streamingAMillionEventsKeepsTheHeapBounded() throws SQLException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long count = 0;
        long lastPosition = 0;
        long maxGrowth = 0;
        // The baseline comes before the query runs: a driver that loads every row would do so on execution.
        long baseline = usedHeapAfterGc(memory);
        try (Connection connection = schema.begin();
             Stream<PersistedEvent> events = PostgresEventStore.create(StoreConfig.defaults()).on(connection)
                     .stream(EventQuery.builder().aggregateType("Bulk").build())) {
            Iterator<PersistedEvent> iterator = events.iterator();
            while (iterator.hasNext()) {
                PersistedEvent event = iterator.next();
                assertThat(event.globalPosition()).isGreaterThan(lastPosition);
                lastPosition = event.globalPosition();
                if (++count % SAMPLE_EVERY == 0) {
                    maxGrowth = Math.max(maxGrowth, usedHeapAfterGc(memory) - baseline);
                }
            }
            connection.rollback();
        }

        assertThat(count).isEqualTo(EVENTS);
        assertThat(maxGrowth).as("heap growth while streaming, bytes").isLessThan(MAX_GROWTH_BYTES);
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}

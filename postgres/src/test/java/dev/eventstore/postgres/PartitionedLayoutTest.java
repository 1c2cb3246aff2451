package dev.eventstore.postgres;

import dev.eventstore.DuplicateEventIdException;
import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.EventStoreException;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.PersistedEvent;
import dev.eventstore.maintenance.RetentionRun;
import dev.eventstore.maintenance.RetentionScope;
import dev.eventstore.migration.MigrationGenerator;
import dev.eventstore.query.EventQuery;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.eventstore.ExpectedVersion.any;
import static dev.eventstore.ExpectedVersion.exact;
import static dev.eventstore.ExpectedVersion.noStream;
import static dev.eventstore.postgres.StoreFixture.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What only the partitioned layout has: events spread over partitions of ten positions, uniqueness across them, the
 * failure past the last partition and how to avoid it, partitions created ahead and dropped by retention. The rest of
 * the store runs on this layout in the build's {@code partitioned-layout} test run.
 */
class PartitionedLayoutTest {

    private static final StoreConfig CONFIG = StoreConfig.defaults().withPartitioning(10);
    private static final PostgresEventStore STORE = PostgresEventStore.create(CONFIG);
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private final List<TestSchema> schemas = new ArrayList<>();

    @AfterEach
    void dropSchemas() throws SQLException {
        for (TestSchema schema : schemas) {
            schema.close();
        }
    }

    /** A schema with six partitions, positions 0 to 59. */
    private TestSchema schema() throws SQLException {
        TestSchema schema = generatedSchema();
        try (Connection connection = schema.connect()) {
            assertThat(STORE.createPartitionsAhead(connection, 5)).isEqualTo(3);
        }
        return schema;
    }

    /** A schema exactly as the generated SQL leaves it: three partitions, positions 0 to 29. */
    private TestSchema generatedSchema() throws SQLException {
        TestSchema schema = TestDatabase.get().createEmptySchema();
        schemas.add(schema);
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute(MigrationGenerator.schemaSql(CONFIG));
        }
        return schema;
    }

    private static List<Event> events(String type, String id, int count, Instant createdAt) {
        List<Event> events = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            events.add(Event.builder(type, id, "Happened").jsonPayload("{\"i\":" + i + "}")
                    .metadata("{\"tenant\":\"t" + (i % 2) + "\"}").createdAt(createdAt.plusMillis(i)).build());
        }
        return events;
    }

    private static List<String> partitions(TestSchema schema) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c"
                     + " ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass ORDER BY"
                     + " substring(c.relname FROM '[0-9]+$')::int")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    @Test
    void eventsSpanningPartitionsReadBackThroughStreamGlobalAndFilteredReads() throws SQLException {
        TestSchema schema = schema();
        String id = newId();
        String other = newId();
        try (Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);
            store.append(noStream(), events("Order", id, 12, NOW));
            store.append(noStream(), events("Invoice", other, 5, NOW));
            store.append(exact(12), events("Order", id, 12, NOW));
            store.append(any(), events("Order", id, 12, NOW));

            assertThat(store.readAggregateStream("Order", id).events()).extracting(PersistedEvent::aggregateVersion)
                    .containsExactlyElementsOf(versions(36));
            assertThat(store.readEvents(0, 1_000)).extracting(PersistedEvent::globalPosition)
                    .isSortedAccordingTo(Long::compare).hasSize(41);
            assertThat(store.query(EventQuery.builder().aggregateType("Order").metadataContains(
                    "{\"tenant\":\"t1\"}").limit(1_000).build())).hasSize(18);
            assertThat(store.count(EventQuery.builder().eventTypes("Happened").build())).isEqualTo(41);
            assertThat(store.latestGlobalPosition()).isEqualTo(41);
        }
        assertThat(schema.queryLong("SELECT count(DISTINCT tableoid) FROM events")).isEqualTo(5);
        assertThat(schema.queryLong("SELECT count(*) FROM events_event_ids")).isEqualTo(41);
    }

    private static List<Long> versions(int count) {
        List<Long> versions = new ArrayList<>();
        for (long v = 1; v <= count; v++) {
            versions.add(v);
        }
        return versions;
    }

    @Test
    void aDuplicateEventIdInALaterPartitionIsRefusedAsOnTheUnpartitionedTableAndWritesNothing() throws SQLException {
        TestSchema schema = schema();
        UUID eventId = UUID.randomUUID();
        String second = newId();
        try (Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);
            store.append(noStream(), Event.builder("Order", newId(), "Placed").eventId(eventId).build());
            store.append(noStream(), events("Order", newId(), 25, NOW));

            assertThatThrownBy(() -> store.append(noStream(), List.of(
                    Event.builder("Order", second, "Placed").build(),
                    Event.builder("Order", second, "Placed").eventId(eventId).build())))
                    .isInstanceOfSatisfying(DuplicateEventIdException.class,
                            duplicate -> assertThat(duplicate.eventId()).isEqualTo(eventId));
        }
        assertThat(schema.queryLong("SELECT count(*) FROM events WHERE aggregate_id = '" + second + "'")).isZero();
        assertThat(schema.queryLong("SELECT count(*) FROM events WHERE event_id = '" + eventId + "'")).isEqualTo(1);
        assertThat(schema.queryLong("SELECT max(global_position) FROM events")).isGreaterThanOrEqualTo(20);
    }

    @Test
    void aStreamVersionWrittenTwiceInOnePartitionIsAConflictEvenWhenTheHeadIsBypassed() throws SQLException {
        TestSchema schema = schema();
        String id = newId();
        try (Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);
            store.append(noStream(), events("Order", id, 1, NOW));
            // Only a head removed behind the store's back lets a version be taken twice: the index catches it.
            try (Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM aggregate_heads WHERE aggregate_id = '" + id + "'");
            }

            assertThatThrownBy(() -> store.append(noStream(), events("Order", id, 1, NOW)))
                    .isInstanceOf(OptimisticConcurrencyException.class)
                    .hasMessageContaining("unique constraint");
        }
        assertThat(schema.queryLong("SELECT count(*) FROM events WHERE aggregate_id = '" + id + "'")).isEqualTo(1);
    }

    @Test
    void anAppendPastTheLastPartitionFailsSayingWhatToScheduleAndSucceedsOncePartitionsAreCreated()
            throws SQLException {
        TestSchema schema = generatedSchema();
        assertThat(partitions(schema)).containsExactly("events_p0", "events_p1", "events_p2");
        String id = newId();
        try (Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);
            store.append(noStream(), events("Order", id, 25, NOW));

            assertThatThrownBy(() -> store.append(exact(25), events("Order", id, 10, NOW)))
                    .isInstanceOf(EventStoreException.class)
                    .hasMessageContaining("has no partition for the next global position")
                    .hasMessageContaining("SELECT events_create_partitions(2)")
                    .hasMessageContaining("Nothing was written");
            assertThat(schema.queryLong("SELECT count(*) FROM events")).isEqualTo(25);
            assertThat(schema.queryLong("SELECT aggregate_version FROM aggregate_heads")).isEqualTo(25);

            // The failed append used positions 26 to 35, so the next is 36: partitions 3, 4 and 5.
            assertThat(STORE.createPartitionsAhead(connection, 2)).isEqualTo(3);
            assertThat(STORE.createPartitionsAhead(connection, 2)).isZero();
            assertThat(partitions(schema)).containsExactly("events_p0", "events_p1", "events_p2", "events_p3",
                    "events_p4", "events_p5");
            assertThat(store.append(exact(25), events("Order", id, 10, NOW)).toVersion()).isEqualTo(35);
        }
    }

    @Test
    void theSqlFunctionCreatesPartitionsAfterTheNextPositionIdempotentlyAndRefusesANegativeCount()
            throws SQLException {
        TestSchema schema = generatedSchema();
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT setval(pg_get_serial_sequence('events', 'global_position'), 54)");

            assertThat(schema.queryLong("SELECT events_create_partitions(1)")).isEqualTo(2);
            assertThat(schema.queryLong("SELECT events_create_partitions(1)")).isZero();
            assertThat(schema.queryLong("SELECT events_create_partitions()")).isEqualTo(1);
            assertThat(partitions(schema)).containsExactly("events_p0", "events_p1", "events_p2", "events_p5",
                    "events_p6", "events_p7");
            assertThatThrownBy(() -> statement.execute("SELECT events_create_partitions(-1)"))
                    .hasMessageContaining("ahead must be >= 0");
            assertThatThrownBy(() -> STORE.createPartitionsAhead(connection, -1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitionsAhead must be >= 0");
        }
    }

    @Test
    void createPartitionsAheadNeedsAPartitionedConfiguration() throws SQLException {
        try (Connection connection = TestDatabase.get().connect()) {
            assertThatThrownBy(() -> PostgresEventStore.create(StoreConfig.defaults())
                    .createPartitionsAhead(connection, 2))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("StoreConfig.withPartitioning(positionsPerPartition)");
        }
    }

    @Test
    void retentionDropsWholeOldPartitionsDeletesOldRowsOfTheNextAndForgetsTheDroppedEventIds() throws SQLException {
        TestSchema schema = schema();
        Instant old = NOW.minus(Duration.ofDays(400));
        UUID oldEventId = UUID.randomUUID();
        String oldId = newId();
        String newId = newId();
        try (Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);
            store.append(noStream(), Event.builder("Order", oldId, "Placed").eventId(oldEventId).createdAt(old)
                    .build());
            store.append(exact(1), events("Order", oldId, 22, old));          // positions 1..23: p0, p1, p2
            store.append(noStream(), events("Order", newId, 10, NOW));        // positions 24..33: p2, p3
        }

        RetentionRun run = STORE.retention(new RetentionTest.SchemaDataSource(schema))
                .deleteBefore(NOW.minus(Duration.ofDays(30)), RetentionScope.all());

        assertThat(run.eventsDeleted()).isEqualTo(23);
        assertThat(partitions(schema)).startsWith("events_p2", "events_p3").doesNotContain("events_p0", "events_p1");
        assertThat(schema.queryLong("SELECT count(*) FROM events")).isEqualTo(10);
        assertThat(schema.queryLong("SELECT count(*) FROM events_event_ids")).isEqualTo(10);
        assertThat(schema.queryLong("SELECT aggregate_version FROM aggregate_heads WHERE aggregate_id = '" + oldId
                + "'")).isEqualTo(23);
        try (Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);
            assertThat(store.readAggregateStream("Order", newId).events()).hasSize(10);
            // As on the unpartitioned table, an id is refused as long as its event is stored, and only that long.
            store.append(exact(23), Event.builder("Order", oldId, "Reopened").eventId(oldEventId).build());
        }
    }

    @Test
    void retentionKeepsAPartitionWithARecentEventAndEveryPartitionAfterIt() throws SQLException {
        TestSchema schema = schema();
        Instant old = NOW.minus(Duration.ofDays(400));
        try (Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);
            store.append(noStream(), events("Order", newId(), 5, old));       // positions 1..5: p0
            store.append(noStream(), events("Order", newId(), 1, NOW));       // position 6: p0
            store.append(noStream(), events("Order", newId(), 20, old));      // positions 7..26: p0, p1, p2
        }

        RetentionRun run = STORE.retention(new RetentionTest.SchemaDataSource(schema))
                .deleteBefore(NOW.minus(Duration.ofDays(30)), RetentionScope.all());

        assertThat(run.eventsDeleted()).isEqualTo(25);
        assertThat(partitions(schema)).startsWith("events_p0", "events_p1", "events_p2");
        assertThat(schema.queryLong("SELECT count(*) FROM events")).isEqualTo(1);
        assertThat(schema.queryLong("SELECT count(*) FROM events_event_ids")).isEqualTo(1);
    }

    @Test
    void scopedRetentionDeletesRowsAndTheirIdsButNoPartition() throws SQLException {
        TestSchema schema = schema();
        Instant old = NOW.minus(Duration.ofDays(400));
        UUID sessionEvent = UUID.randomUUID();
        try (Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);
            store.append(noStream(), Event.builder("Session", newId(), "Opened").eventId(sessionEvent)
                    .createdAt(old).build());
            store.append(noStream(), events("Order", newId(), 15, old));
        }

        RetentionRun run = STORE.retention(new RetentionTest.SchemaDataSource(schema))
                .deleteBefore(NOW, RetentionScope.aggregateTypes("Session"));

        assertThat(run.eventsDeleted()).isEqualTo(1);
        assertThat(partitions(schema)).startsWith("events_p0", "events_p1");
        assertThat(schema.queryLong("SELECT count(*) FROM events_event_ids")).isEqualTo(15);
        assertThat(schema.queryLong("SELECT count(*) FROM events_event_ids WHERE event_id = '" + sessionEvent
                + "'")).isZero();
    }

    @Test
    void thePartitionedSchemaRunsTwiceAndRefusesAnUnpartitionedEventsTable() throws SQLException {
        TestSchema schema = generatedSchema();
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute(MigrationGenerator.schemaSql(CONFIG));
            assertThat(partitions(schema)).hasSize(3);
        }
        TestSchema plain = TestDatabase.get().createSchema(StoreConfig.defaults());
        schemas.add(plain);
        try (Connection connection = plain.connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute(MigrationGenerator.schemaSql(CONFIG)))
                    .hasMessageContaining("exists and is not partitioned");
        }
    }

    @Test
    void theDocumentedSetUpCreatesTheSchemaAndPartitionsAhead() throws SQLException {
        try (TestSchema schema = TestDatabase.get().createEmptySchema(); Connection connection = schema.connect();
             Statement statement = connection.createStatement()) {
            schemas.add(schema);
            // doc: partitioning begins
            StoreConfig config = StoreConfig.defaults().withPartitioning(10_000_000);  // events per partition
            statement.execute(MigrationGenerator.schemaSql(config));  // or Flyway, or migrate-gen --partition-size
            PostgresEventStore pg = PostgresEventStore.create(config);
            int created = pg.createPartitionsAhead(connection, 3);    // schedule it, e.g. daily: makes what is missing
            // doc: partitioning ends
            assertThat(created).isEqualTo(1);
            assertThat(partitions(schema)).containsExactly("events_p0", "events_p1", "events_p2", "events_p3");
        }
    }

    @Test
    void partitioningRefusesANonPositiveSizeAndANameTooLongForItsPartitions() {
        assertThatThrownBy(() -> StoreConfig.defaults().withPartitioning(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positionsPerPartition must be positive, was 0");
        assertThatThrownBy(() -> StoreConfig.defaults().withPartitioning(-10_000_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positionsPerPartition must be positive");
        String longName = "e".repeat(40);
        assertThatThrownBy(() -> StoreConfig.defaults().withEventsTable(longName).withPartitioning(1_000_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use an events table name of at most 29 characters or larger partitions");
        assertThat(StoreConfig.defaults().withEventsTable("e".repeat(29)).withPartitioning(1_000_000)
                .isPartitioned()).isTrue();
        assertThat(StoreConfig.defaults().withPartitioning(10).withoutPartitioning()).isEqualTo(StoreConfig.defaults());
    }
}

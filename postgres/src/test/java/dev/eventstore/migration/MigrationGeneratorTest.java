package dev.eventstore.migration;

import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.query.EventQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static dev.eventstore.ExpectedVersion.noStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationGeneratorTest {

    private static final Instant NOW = Instant.parse("2026-11-24T13:05:09Z");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final EventStoreCli cli = new EventStoreCli(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void generatedSqlAppliesCleanlyToAnEmptySchemaAndTwice() throws SQLException {
        try (TestSchema empty = TestDatabase.get().createEmptySchema(); Connection connection = empty.connect();
             Statement statement = connection.createStatement()) {
            String sql = MigrationGenerator.schemaSql(StoreConfig.defaults());

            statement.execute(sql);
            statement.execute(sql);

            assertThat(empty.queryLong("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                    + empty.name() + "'")).isEqualTo(4);
            assertThat(empty.queryLong("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                    + empty.name() + "' AND table_name = 'projection_checkpoints'")).isEqualTo(1);
            assertThat(empty.queryLong("SELECT count(*) FROM pg_indexes WHERE schemaname = '" + empty.name()
                    + "' AND tablename = 'events'")).isEqualTo(8);
            PostgresEventStore.create(StoreConfig.defaults()).on(connection)
                    .append(noStream(), Event.builder("Order", "o-1", "OrderPlaced").build());
            assertThat(empty.queryLong("SELECT count(*) FROM events WHERE transaction_id IS NOT NULL")).isEqualTo(1);
        }
    }

    /** The schema as shipped before topics existed, kept as a test resource. */
    private static String schemaBeforeTopics() throws IOException {
        try (InputStream resource = MigrationGeneratorTest.class.getResourceAsStream("schema-before-topics.sql")) {
            return new String(resource.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"topic upgrade", "whole schema"})
    void anUpgradeAddsTheTopicColumnToAStoreCreatedBeforeTopicsAndOldRowsReadBackWithoutATopic(String upgrade)
            throws SQLException, IOException {
        try (TestSchema old = TestDatabase.get().createEmptySchema(); Connection connection = old.connect();
             Statement statement = connection.createStatement()) {
            statement.execute(schemaBeforeTopics());
            statement.execute("INSERT INTO events (aggregate_type, aggregate_id, aggregate_version, event_id,"
                    + " event_type, event_version, payload, created_at) VALUES ('Order', 'o-old', 1,"
                    + " gen_random_uuid(), 'OrderPlaced', 1, '\\x7b7d', now())");
            statement.execute("INSERT INTO aggregate_heads (aggregate_type, aggregate_id, aggregate_version)"
                    + " VALUES ('Order', 'o-old', 1)");
            String sql = upgrade.equals("topic upgrade") ? MigrationGenerator.topicUpgradeSql(StoreConfig.defaults())
                    : MigrationGenerator.schemaSql(StoreConfig.defaults());

            statement.execute(sql);
            statement.execute(sql);

            assertThat(old.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_schema = '"
                    + old.name() + "' AND table_name = 'events' AND column_name = 'topic' AND is_nullable = 'YES'"))
                    .isEqualTo(1);
            assertThat(old.queryLong("SELECT count(*) FROM pg_indexes WHERE schemaname = '" + old.name()
                    + "' AND indexname = 'events_topic_idx'")).isEqualTo(1);
            EventStore store = PostgresEventStore.create(StoreConfig.defaults()).on(connection);
            assertThat(store.readAggregateStream("Order", "o-old").events()).singleElement()
                    .satisfies(event -> assertThat(event.topic()).isNull());
            store.append(ExpectedVersion.exact(1), Event.builder("Order", "o-old", "OrderShipped")
                    .topic("order.lifecycle.shipped").build());
            assertThat(store.query(EventQuery.builder().topics("order.#").build()))
                    .extracting(PersistedEvent::eventType).containsExactly("OrderShipped");
            assertThat(store.count(EventQuery.all())).isEqualTo(2);
        }
    }

    @Test
    void runningTheSchemaOnAStoreThatHasItWaitsForNoLockHeldByOpenTransactions() throws SQLException {
        try (TestSchema store = TestDatabase.get().createSchema(StoreConfig.defaults());
             Connection writer = store.begin(); Connection installer = store.connect();
             Statement writing = writer.createStatement(); Statement installing = installer.createStatement()) {
            // An append and a checkpoint read left open: ALTER TABLE would wait for both, CREATE INDEX for the first
            PostgresEventStore.create(StoreConfig.defaults()).on(writer)
                    .append(noStream(), Event.builder("Order", "o-1", "OrderPlaced").build());
            writing.executeQuery("SELECT count(*) FROM projection_checkpoints").close();
            installing.execute("SET lock_timeout = '500ms'");

            installing.execute(MigrationGenerator.schemaSql(StoreConfig.defaults()));

            writer.commit();
            assertThat(store.queryLong("SELECT count(*) FROM events")).isEqualTo(1);
        }
    }

    @Test
    void aStoreWithoutTheLaterColumnsAndIndexesGetsThem() throws SQLException {
        try (TestSchema store = TestDatabase.get().createSchema(StoreConfig.defaults());
             Connection connection = store.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP INDEX events_topic_idx, events_created_at_idx");
            statement.execute("ALTER TABLE events DROP COLUMN topic");
            statement.execute("ALTER TABLE projection_checkpoints DROP COLUMN segment_count");

            statement.execute(MigrationGenerator.schemaSql(StoreConfig.defaults()));

            assertThat(store.queryLong("SELECT count(*) FROM pg_indexes WHERE schemaname = '" + store.name()
                    + "' AND indexname IN ('events_topic_idx', 'events_created_at_idx')")).isEqualTo(2);
            assertThat(store.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_schema = '"
                    + store.name() + "' AND column_name IN ('topic', 'segment_count')")).isEqualTo(2);
        }
    }

    @Test
    void theTopicUpgradeCarriesTheConfiguredNames() {
        String sql = MigrationGenerator.topicUpgradeSql(StoreConfig.defaults().withEventsTable("audit.order_log"));

        assertThat(sql).contains("ALTER TABLE \"audit\".\"order_log\" ADD COLUMN IF NOT EXISTS topic TEXT NULL;")
                .contains("CREATE INDEX IF NOT EXISTS \"order_log_topic_idx\" ON \"audit\".\"order_log\"")
                .contains("attrelid = '\"audit\".\"order_log\"'::regclass AND attname = 'topic'");
        assertThatThrownBy(() -> MigrationGenerator.topicUpgradeSql(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("config");
    }

    @Test
    void theShippedResourceIsTheDefaultSchema() throws IOException {
        try (InputStream resource = getClass().getClassLoader()
                .getResourceAsStream(MigrationGenerator.DEFAULT_SCHEMA_RESOURCE)) {
            assertThat(resource).as(MigrationGenerator.DEFAULT_SCHEMA_RESOURCE).isNotNull();
            assertThat(new String(resource.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(MigrationGenerator.schemaSql(StoreConfig.defaults()));
        }
    }

    @Test
    void theSchemaCarriesTheConfiguredNames() {
        String sql = MigrationGenerator.schemaSql(StoreConfig.defaults()
                .withEventsTable("audit.order_log").withHeadsTable("audit.order_heads"));

        assertThat(sql).contains("CREATE SCHEMA IF NOT EXISTS \"audit\"")
                .contains("CREATE TABLE IF NOT EXISTS \"audit\".\"order_log\"")
                .contains("CREATE TABLE IF NOT EXISTS \"audit\".\"order_heads\"")
                .contains("\"order_log_event_id_key\"")
                .doesNotContain("\"events\"");
    }

    @Test
    void cliWritesTheSchemaWithATimestampedDefaultName(@TempDir Path dir) throws IOException {
        int exit = cli.run("migrate-gen", "--output", dir.toString());

        Path expected = dir.resolve("V20261124130509__eventstore_schema.sql");
        assertThat(exit).isZero();
        assertThat(Files.readString(expected)).isEqualTo(MigrationGenerator.schemaSql(StoreConfig.defaults()));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(expected.toString());
    }

    @Test
    void cliHonoursFilenameAndTableNamesAndCreatesTheDirectory(@TempDir Path dir) throws IOException {
        Path output = dir.resolve("db/migration");

        int exit = cli.run("migrate-gen", "--output", output.toString(), "--filename", "V2__events.sql",
                "--events-table", "app.events_log", "--aggregate-heads-table", "app.heads",
                "--checkpoints-table", "app.checkpoints");

        assertThat(exit).isZero();
        assertThat(Files.readString(output.resolve("V2__events.sql"))).isEqualTo(MigrationGenerator.schemaSql(
                StoreConfig.defaults().withEventsTable("app.events_log").withHeadsTable("app.heads")
                        .withCheckpointsTable("app.checkpoints")))
                .contains("CREATE TABLE IF NOT EXISTS \"app\".\"checkpoints\"");
    }

    @Test
    void cliWritesTheChosenQueryIndexesOrNone(@TempDir Path dir) throws IOException {
        assertThat(cli.run("migrate-gen", "--output", dir.toString(), "--filename", "V1__some.sql",
                "--query-indexes", "topic, event-type")).isZero();
        assertThat(cli.run("migrate-gen", "--output", dir.toString(), "--filename", "V1__none.sql",
                "--query-indexes", "NONE")).isZero();

        assertThat(Files.readString(dir.resolve("V1__some.sql"))).isEqualTo(MigrationGenerator.schemaSql(
                StoreConfig.defaults().withQueryIndexes(java.util.EnumSet.of(
                        dev.eventstore.postgres.QueryIndex.EVENT_TYPE, dev.eventstore.postgres.QueryIndex.TOPIC))));
        assertThat(Files.readString(dir.resolve("V1__none.sql")))
                .isEqualTo(MigrationGenerator.schemaSql(StoreConfig.defaults().withoutQueryIndexes()))
                .doesNotContain("_metadata_idx").doesNotContain("_topic_idx").contains("_transaction_idx");
    }

    @Test
    void cliRejectsUnknownOrRepeatedQueryIndexesAndWritesNothing(@TempDir Path dir) throws IOException {
        assertThat(cli.run("migrate-gen", "--output", dir.toString(), "--query-indexes", "metadata,gin"))
                .isEqualTo(2);
        assertThat(cli.run("migrate-gen", "--output", dir.toString(), "--query-indexes", "topic,topic"))
                .isEqualTo(2);
        assertThat(cli.run("migrate-gen", "--output", dir.toString(), "--query-indexes", "")).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown query index 'gin'")
                .contains("'topic' is listed twice").contains("unknown query index ''");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void cliWritesThePartitionedSchemaForAPartitionSize(@TempDir Path dir) throws IOException {
        int exit = cli.run("migrate-gen", "--output", dir.toString(), "--filename", "V3__events.sql",
                "--partition-size", "10_000_000");

        assertThat(exit).isZero();
        assertThat(Files.readString(dir.resolve("V3__events.sql"))).isEqualTo(MigrationGenerator.schemaSql(
                StoreConfig.defaults().withPartitioning(10_000_000)))
                .contains("-- events partitioned by global_position, 10000000 positions per partition")
                .contains("PARTITION BY RANGE (global_position)")
                .contains("CREATE OR REPLACE FUNCTION \"events_create_partitions\"(ahead INT DEFAULT 2)");
    }

    @ParameterizedTest(name = "--partition-size ''{0}''")
    @ValueSource(strings = {"0", "-5", "ten", ""})
    void cliRejectsABadPartitionSizeAndWritesNothing(String size, @TempDir Path dir) throws IOException {
        int exit = cli.run("migrate-gen", "--output", dir.toString(), "--partition-size", size);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).containsAnyOf("positionsPerPartition must be positive",
                "--partition-size must be a whole number of positions");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void cliRejectsAnInvalidTableNameAndWritesNothing(@TempDir Path dir) throws IOException {
        int exit = cli.run("migrate-gen", "--output", dir.toString(), "--events-table", "events;drop");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not a valid identifier").contains("Usage:");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void cliRefusesToOverwriteAnExistingMigration(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("V1__x.sql"), "-- mine");

        int exit = cli.run("migrate-gen", "--output", dir.toString(), "--filename", "V1__x.sql");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("already exists");
        assertThat(Files.readString(dir.resolve("V1__x.sql"))).isEqualTo("-- mine");
    }

    @Test
    void cliRejectsUnknownCommandsOptionsAndMissingValues(@TempDir Path dir) {
        assertThat(cli.run("migrate")).isEqualTo(2);
        assertThat(cli.run("migrate-gen", "--tables", "x")).isEqualTo(2);
        assertThat(cli.run("migrate-gen", "--output")).isEqualTo(2);
        assertThat(cli.run("migrate-gen", "--filename", "a/b.sql", "--output", dir.toString())).isEqualTo(2);
        assertThat(cli.run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("unknown command 'migrate'")
                .contains("unknown option '--tables'")
                .contains("option --output needs a value")
                .contains("plain file name");
    }

    @Test
    void cliPrintsHelp() {
        assertThat(cli.run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--aggregate-heads-table");
    }

    @Test
    void generatorApiRejectsBadArguments(@TempDir Path dir) {
        assertThatThrownBy(() -> MigrationGenerator.schemaSql(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("config");
        assertThatThrownBy(() -> MigrationGenerator.write(dir, " ", StoreConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filename");
    }
}

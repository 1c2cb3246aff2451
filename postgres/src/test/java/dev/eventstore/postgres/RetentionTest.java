package dev.eventstore.postgres;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.EventStoreException;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.jobs.RetentionManager;
import dev.eventstore.maintenance.RetentionFigures;
import dev.eventstore.maintenance.RetentionRun;
import dev.eventstore.maintenance.RetentionScope;
import dev.eventstore.query.EventQuery;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import static dev.eventstore.postgres.StoreFixture.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batched deletion of old events: scopes, heads, transactions, the scheduled manager and bad input. */
class RetentionTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Instant OLD = NOW.minus(Duration.ofDays(400));
    private static final Instant RECENT = NOW.minus(Duration.ofDays(10));
    private static final PostgresEventStore STORE = PostgresEventStore.create(TestDatabase.layout(StoreConfig.defaults()));
    private static TestSchema schema;
    private static DataSource dataSource;

    @BeforeAll
    static void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(TestDatabase.layout(StoreConfig.defaults()));
        dataSource = new SchemaDataSource(schema);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    /** Appends {@code count} events of {@code eventType} to a new aggregate of a type unique to the test. */
    private static String append(String aggregateType, String eventType, Instant createdAt, int count)
            throws SQLException {
        String id = newId();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(Event.builder(aggregateType, id, eventType).createdAt(createdAt.plusSeconds(i)).build());
        }
        try (Connection connection = schema.connect()) {
            STORE.on(connection).append(ExpectedVersion.any(), events);
        }
        return id;
    }

    private static List<PersistedEvent> eventsOf(String aggregateType) throws SQLException {
        try (Connection connection = schema.connect()) {
            return STORE.on(connection).query(EventQuery.builder().aggregateType(aggregateType).limit(10_000)
                    .build());
        }
    }

    private static long headVersion(String aggregateType, String id) throws SQLException {
        return schema.queryLong("SELECT aggregate_version FROM aggregate_heads WHERE aggregate_type = '"
                + aggregateType + "' AND aggregate_id = '" + id + "'");
    }

    private static String unique(String prefix) {
        return prefix + newId().substring(0, 8);
    }

    @Test
    void deletesOnlyEventsOlderThanTheCutoffInBatchesAndKeepsTheHead() throws SQLException {
        String type = unique("Audit");
        String id = append(type, "audit.logged", OLD, 25);
        try (Connection connection = schema.connect()) {
            STORE.on(connection).append(ExpectedVersion.exact(25), List.of(
                    Event.builder(type, id, "audit.logged").createdAt(RECENT).build()));
        }

        RetentionRun run = STORE.retention(dataSource, 10)
                .deleteBefore(NOW.minus(Duration.ofDays(365)), RetentionScope.aggregateTypes(type));

        assertThat(run.eventsDeleted()).isEqualTo(25);
        assertThat(run.batches()).isEqualTo(3);
        assertThat(eventsOf(type)).singleElement().satisfies(left -> {
            assertThat(left.aggregateVersion()).isEqualTo(26);
            assertThat(left.createdAt()).isEqualTo(RECENT);
        });
        assertThat(headVersion(type, id)).isEqualTo(26);
    }

    @Test
    void aStreamWithADeletedPrefixStartsLaterAndAppendsContinueItsVersions() throws SQLException {
        String type = unique("Ledger");
        String id = append(type, "entry.booked", OLD, 3);

        STORE.retention(dataSource).deleteBefore(RECENT, RetentionScope.aggregateTypes(type));

        try (Connection connection = schema.connect()) {
            EventStore store = STORE.on(connection);
            assertThat(store.readAggregateStream(type, id).isEmpty()).isTrue();
            assertThatThrownBy(() -> store.append(ExpectedVersion.noStream(),
                    Event.builder(type, id, "entry.booked").build())).isInstanceOf(EventStoreException.class);
            assertThat(store.append(ExpectedVersion.exact(3), Event.builder(type, id, "entry.booked").build())
                    .toVersion()).isEqualTo(4);
            assertThat(store.readAggregateStream(type, id).events()).extracting(PersistedEvent::aggregateVersion)
                    .containsExactly(4L);
        }
    }

    @Test
    void scopeLimitsDeletionToMatchingEventAndAggregateTypes() throws SQLException {
        String kept = unique("Kept");
        String purged = unique("Purged");
        append(purged, "session.started", OLD, 4);
        append(purged, "session.page.viewed", OLD, 4);
        append(purged, "invoice.issued", OLD, 2);
        append(kept, "session.started", OLD, 3);

        RetentionRun run = STORE.retention(dataSource).deleteBefore(RECENT,
                RetentionScope.eventTypes("session.#").andAggregateTypes(purged));

        assertThat(run.eventsDeleted()).isEqualTo(8);
        assertThat(eventsOf(purged)).extracting(PersistedEvent::eventType).containsOnly("invoice.issued")
                .hasSize(2);
        assertThat(eventsOf(kept)).hasSize(3);
    }

    @Test
    void retentionInTheCallerTransactionRollsBackWithIt() throws SQLException {
        String type = unique("Rollback");
        append(type, "x.happened", OLD, 5);

        try (Connection connection = schema.begin()) {
            RetentionRun run = STORE.retentionOn(connection).deleteBefore(RECENT, RetentionScope.aggregateTypes(type));
            assertThat(run.eventsDeleted()).isEqualTo(5);
            connection.rollback();
        }

        assertThat(eventsOf(type)).hasSize(5);
    }

    @Test
    void nothingOldEnoughMeansOneBatchAndNoDeletion() throws SQLException {
        String type = unique("Fresh");
        append(type, "x.happened", RECENT, 3);

        RetentionRun run = STORE.retention(dataSource).deleteBefore(OLD, RetentionScope.aggregateTypes(type));

        assertThat(run.eventsDeleted()).isZero();
        assertThat(run.batches()).isEqualTo(1);
        assertThat(eventsOf(type)).hasSize(3);
    }

    @Test
    void cutoffsBeyondWhatPostgresqlStoresDeleteNothingOrEverythingInTheScope() throws SQLException {
        String type = unique("Bounds");
        append(type, "x.happened", OLD, 2);
        append(type, "x.happened", RECENT, 2);
        RetentionScope scope = RetentionScope.aggregateTypes(type);

        RetentionRun beforeTime = STORE.retention(dataSource).deleteBefore(Instant.MIN, scope);
        RetentionRun beforeStoredRange = STORE.retention(dataSource)
                .deleteBefore(Instant.parse("-4714-11-23T23:59:59.999999Z"), scope);
        assertThat(beforeTime.eventsDeleted()).isZero();
        assertThat(beforeTime.cutoff()).isEqualTo(Instant.MIN);
        assertThat(beforeStoredRange.eventsDeleted()).isZero();
        assertThat(eventsOf(type)).hasSize(4);

        try (Connection connection = schema.begin()) {
            assertThat(STORE.retentionOn(connection).deleteBefore(Instant.MAX, scope).eventsDeleted()).isEqualTo(4);
            connection.rollback();
        }
        RetentionRun endOfTime = STORE.retention(dataSource).deleteBefore(Instant.MAX, scope);
        assertThat(endOfTime.eventsDeleted()).isEqualTo(4);
        assertThat(endOfTime.cutoff()).isEqualTo(Instant.MAX);
        assertThat(eventsOf(type)).isEmpty();
    }

    @Test
    void aManagerKeepingEventsLongerThanInstantsReachDeletesNothingInsteadOfFailingEveryRun() throws SQLException {
        String type = unique("Forever");
        append(type, "x.happened", OLD, 2);
        RetentionManager manager = RetentionManager.builder(STORE.retention(dataSource))
                .keep(ChronoUnit.FOREVER.getDuration()).scope(RetentionScope.aggregateTypes(type))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

        RetentionRun run = manager.runOnce();

        assertThat(run.cutoff()).isEqualTo(Instant.MIN);
        assertThat(run.eventsDeleted()).isZero();
        assertThat(manager.figures().failedRuns()).isZero();
        assertThat(eventsOf(type)).hasSize(2);
    }

    @Test
    void managerDeletesByRetentionPeriodAndKeepsFigures() throws SQLException {
        String type = unique("Managed");
        append(type, "x.happened", OLD, 7);
        append(type, "x.happened", RECENT, 2);
        RetentionManager manager = RetentionManager.builder(STORE.retention(dataSource))
                .keep(Duration.ofDays(30)).scope(RetentionScope.aggregateTypes(type))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        assertThat(manager.figures()).isEqualTo(RetentionFigures.NONE);

        RetentionRun first = manager.runOnce();
        RetentionRun second = manager.runOnce();

        assertThat(first.cutoff()).isEqualTo(NOW.minus(Duration.ofDays(30)));
        assertThat(first.eventsDeleted()).isEqualTo(7);
        assertThat(second.eventsDeleted()).isZero();
        RetentionFigures figures = manager.figures();
        assertThat(figures.runs()).isEqualTo(2);
        assertThat(figures.failedRuns()).isZero();
        assertThat(figures.eventsDeleted()).isEqualTo(7);
        assertThat(figures.lastRunDeleted()).isZero();
        assertThat(figures.lastRun()).contains(second.startedAt());
        assertThat(figures.lastRunDuration()).isEqualTo(second.duration());
        assertThat(eventsOf(type)).hasSize(2);
    }

    @Test
    void scheduledManagerRunsOnTheExecutorAndCountsFailuresWithoutStopping() throws Exception {
        String type = unique("Scheduled");
        append(type, "x.happened", OLD, 3);
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        int[] calls = {0};
        RetentionManager manager = RetentionManager.builder((cutoff, scope) -> {
                    if (calls[0]++ == 0) {
                        throw new EventStoreException("database unavailable");
                    }
                    return STORE.retention(dataSource).deleteBefore(cutoff, scope);
                })
                .keep(Duration.ofDays(30)).interval(Duration.ofMillis(50)).initialDelay(Duration.ZERO)
                .scope(RetentionScope.aggregateTypes(type)).build();
        try {
            manager.start(executor);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (manager.figures().runs() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThatThrownBy(() -> manager.start(executor)).isInstanceOf(IllegalStateException.class);
        } finally {
            manager.close();
            executor.shutdownNow();
        }

        RetentionFigures figures = manager.figures();
        assertThat(figures.runs()).isGreaterThanOrEqualTo(3);
        assertThat(figures.failedRuns()).isEqualTo(1);
        assertThat(figures.eventsDeleted()).isEqualTo(3);
        assertThat(manager.isStarted()).isFalse();
        assertThat(eventsOf(type)).isEmpty();
    }

    @Test
    void badInputIsRejectedWithMessagesNamingTheField() {
        assertThatThrownBy(() -> STORE.retention(dataSource).deleteBefore(null))
                .hasMessageContaining("cutoff must not be null");
        assertThatThrownBy(() -> STORE.retention(dataSource).deleteBefore(NOW, null))
                .hasMessageContaining("scope must not be null");
        assertThatThrownBy(() -> STORE.retention(dataSource, 0)).hasMessageContaining("batchSize must be >= 1");
        assertThatThrownBy(() -> RetentionScope.eventTypes("session.*x"))
                .hasMessageContaining("eventType pattern 'session.*x'");
        assertThatThrownBy(() -> RetentionScope.aggregateTypes(" ")).hasMessageContaining("aggregateTypes");
        assertThatThrownBy(() -> RetentionManager.builder(STORE.retention(dataSource)).build())
                .hasMessageContaining("keep must be set");
        assertThatThrownBy(() -> RetentionManager.builder(STORE.retention(dataSource)).keep(Duration.ZERO))
                .hasMessageContaining("keep must be a positive duration");
        assertThatThrownBy(() -> RetentionManager.builder(STORE.retention(dataSource)).interval(Duration.ofSeconds(-1)))
                .hasMessageContaining("interval must be a positive duration");
    }

    /** The smallest DataSource over the test schema: a new connection per call. */
    record SchemaDataSource(TestSchema schema) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = schema.connect();
            connection.setAutoCommit(false);
            return connection;
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}

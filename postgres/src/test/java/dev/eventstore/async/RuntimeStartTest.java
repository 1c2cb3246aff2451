package dev.eventstore.async;

import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.migration.MigrationGenerator;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.eventstore.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime starts whatever state the database is in: it retries with backoff, logging each failed attempt at
 * WARNING, until the database is reachable and the store's tables exist; and it says how it wakes up.
 */
class RuntimeStartTest {

    private static final Logger RUNTIME_LOG = Logger.getLogger("dev.eventstore.async.internal.ProjectionRuntime");

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private TestSchema schema;
    private AsyncProjections projections;

    @BeforeEach
    void createEmptySchema() throws SQLException {
        schema = TestDatabase.get().createEmptySchema();
        RUNTIME_LOG.addHandler(capture);
    }

    @AfterEach
    void cleanUp() throws SQLException {
        if (projections != null) {
            projections.close();
        }
        RUNTIME_LOG.removeHandler(capture);
        schema.close();
    }

    @Test
    void withoutTablesTheRuntimeRetriesSayingWhichMigrationIsMissingThenRunsOnceTheyExist() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        projections = builder(dataSource(schema.url()), StoreConfig.defaults(), handled).build();

        projections.start();

        await(() -> projections.runtimeStatus().startAttempts() >= 2, "two failed start attempts");
        RuntimeStatus starting = projections.runtimeStatus();
        assertThat(starting.phase()).isEqualTo(RuntimeStatus.Phase.STARTING);
        assertThat(starting.live()).isTrue();
        assertThat(starting.lastStartFailure()).hasValueSatisfying(failure -> assertThat(failure)
                .contains("the events table events does not exist in database postgres").contains("migrate-gen"));
        assertThat(logged).anySatisfy(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).contains("could not start (attempt 1)").contains("does not exist");
        });

        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute(MigrationGenerator.schemaSql(StoreConfig.defaults()));
        }
        appendOneEvent();

        await(() -> handled.get() == 1, "the projection handles the event once the tables exist");
        RuntimeStatus running = projections.runtimeStatus();
        assertThat(running.phase()).isEqualTo(RuntimeStatus.Phase.RUNNING);
        assertThat(running.lastStartFailure()).isEmpty();
        assertThat(running.loopAlive()).isTrue();
    }

    @Test
    void whileTheDatabaseIsUnreachableTheRuntimeRetriesAndStartsWhenItAnswers() throws Exception {
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute(MigrationGenerator.schemaSql(StoreConfig.defaults()));
        }
        // Port 9 (discard) has no PostgreSQL: connections are refused until the test points the pool back.
        AtomicReference<DataSource> target = new AtomicReference<>(dataSource(
                "jdbc:postgresql://127.0.0.1:9/postgres?connectTimeout=2"));
        AtomicInteger handled = new AtomicInteger();
        projections = builder(switchable(target), StoreConfig.defaults(), handled).build();

        projections.start();

        await(() -> projections.runtimeStatus().startAttempts() >= 2, "two failed start attempts");
        assertThat(projections.runtimeStatus().phase()).isEqualTo(RuntimeStatus.Phase.STARTING);
        assertThat(projections.runtimeStatus().lastStartFailure()).hasValueSatisfying(failure ->
                assertThat(failure).containsIgnoringCase("connection"));

        target.set(dataSource(schema.url()));
        appendOneEvent();

        await(() -> handled.get() == 1, "the projection handles the event once the database answers");
        assertThat(projections.runtimeStatus().phase()).isEqualTo(RuntimeStatus.Phase.RUNNING);
    }

    @Test
    void withoutANotifyChannelTheRuntimeSaysItPollsAndWhy() throws Exception {
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute(MigrationGenerator.schemaSql(StoreConfig.defaults()));
        }
        projections = builder(dataSource(schema.url()), StoreConfig.defaults(), new AtomicInteger()).build();

        projections.start();

        await(() -> projections.runtimeStatus().phase() == RuntimeStatus.Phase.RUNNING, "the runtime runs");
        assertThat(projections.runtimeStatus().listening()).isFalse();
        assertThat(projections.runtimeStatus().wakeUps()).startsWith("polling every 1000 ms: no notify channel");
        await(() -> logged.stream().anyMatch(record -> record.getLevel() == Level.INFO
                && record.getMessage().contains("started with") && record.getMessage().contains("polling every 1000 ms")),
                "the start is logged at INFO, saying the runtime polls");
    }

    /**
     * A pool whose connections hide the driver (as an application server's wrappers do) still listens: the driver is
     * reached through the connection's metadata.
     */
    @Test
    void behindAWrapperThatDoesNotUnwrapTheRuntimeStillListens() throws Exception {
        StoreConfig config = StoreConfig.defaults()
                .withNotifyChannel("es_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute(MigrationGenerator.schemaSql(config));
        }
        AtomicInteger handled = new AtomicInteger();
        projections = builder(opaque(dataSource(schema.url())), config, handled)
                .pollInterval(Duration.ofMinutes(10)) // only a notification can wake the runtime in time
                .build();

        projections.start();
        await(() -> projections.runtimeStatus().listening(), "the listener is listening");
        assertThat(projections.runtimeStatus().wakeUps()).isEqualTo("listening on channel " + config.notifyChannel()
                .orElseThrow().name());
        appendOneEvent(config);

        await(() -> handled.get() == 1, "the notification wakes the runtime long before its 10-minute poll");
    }

    private AsyncProjections.Builder builder(DataSource dataSource, StoreConfig config, AtomicInteger handled) {
        return AsyncProjections.builder(dataSource, config)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .register("start-" + UUID.randomUUID(), Set.of(),
                        (connection, events) -> handled.addAndGet(events.size()));
    }

    private void appendOneEvent() throws SQLException {
        appendOneEvent(StoreConfig.defaults());
    }

    private void appendOneEvent(StoreConfig config) throws SQLException {
        try (Connection connection = schema.connect()) {
            String id = UUID.randomUUID().toString();
            PostgresEventStore.create(config).on(connection).append(ExpectedVersion.noStream(),
                    List.of(Event.builder("Account", id, "Opened").build()));
        }
    }

    private static PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(TestDatabase.get().user());
        dataSource.setPassword(TestDatabase.get().password());
        return dataSource;
    }

    private static DataSource switchable(AtomicReference<DataSource> target) {
        return (DataSource) Proxy.newProxyInstance(RuntimeStartTest.class.getClassLoader(),
                new Class<?>[]{DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getLogWriter")) {
                        return new PrintWriter(System.err);
                    }
                    try {
                        return method.invoke(target.get(), args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Connections that wrap the driver's and unwrap to nothing, like a server's pool whose driver is invisible. */
    private static DataSource opaque(DataSource real) {
        return (DataSource) Proxy.newProxyInstance(RuntimeStartTest.class.getClassLoader(),
                new Class<?>[]{DataSource.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (result instanceof Connection connection) {
                        return Proxy.newProxyInstance(RuntimeStartTest.class.getClassLoader(),
                                new Class<?>[]{Connection.class}, (p, m, a) -> {
                                    if (m.getName().equals("isWrapperFor")) {
                                        return false;
                                    }
                                    if (m.getName().equals("unwrap")) {
                                        throw new SQLException("not a wrapper for " + a[0]);
                                    }
                                    try {
                                        return m.invoke(connection, a);
                                    } catch (java.lang.reflect.InvocationTargetException e) {
                                        throw e.getCause();
                                    }
                                });
                    }
                    return result;
                });
    }
}

package dev.eventstore.testing;

import dev.eventstore.migration.MigrationGenerator;
import dev.eventstore.postgres.StoreConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL the tests run against, chosen once per JVM:
 * <ol>
 *   <li>{@code EVENTSTORE_TEST_JDBC_URL} (with {@code EVENTSTORE_TEST_JDBC_USER} and
 *       {@code EVENTSTORE_TEST_JDBC_PASSWORD}) when set;</li>
 *   <li>otherwise a Testcontainers PostgreSQL when a Docker engine answers;</li>
 *   <li>otherwise {@code jdbc:postgresql://localhost:5432/postgres} as user {@code postgres}.</li>
 * </ol>
 * Tests isolate their data in a fresh schema per test class ({@link #createSchema(StoreConfig)}).
 */
public final class TestDatabase {

    public static final String DEFAULT_URL = "jdbc:postgresql://localhost:5432/postgres";

    private static TestDatabase instance;

    private final String url;
    private final String user;
    private final String password;
    private final String origin;

    private TestDatabase(String url, String user, String password, String origin) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.origin = origin;
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = resolve();
            System.getLogger(TestDatabase.class.getName()).log(System.Logger.Level.INFO,
                    "Tests use PostgreSQL at " + instance.url + " (" + instance.origin + ")");
        }
        return instance;
    }

    private static TestDatabase resolve() {
        String url = System.getenv("EVENTSTORE_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return new TestDatabase(url, envOr("EVENTSTORE_TEST_JDBC_USER", "postgres"),
                    envOr("EVENTSTORE_TEST_JDBC_PASSWORD", ""), "EVENTSTORE_TEST_JDBC_URL");
        }
        TestDatabase container = Containers.startIfDockerAvailable();
        if (container != null) {
            return container;
        }
        return new TestDatabase(DEFAULT_URL, "postgres", "", "local default");
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A new auto-commit connection on the default search path. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** The JDBC URL with {@code schema} as the connection's search path. */
    public String urlFor(String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** A new auto-commit connection whose search path is {@code schema}. */
    public Connection connect(String schema) throws SQLException {
        return DriverManager.getConnection(urlFor(schema), user, password);
    }

    /**
     * System property that makes {@link #layout(StoreConfig)} partition the events table into partitions of this many
     * positions: the build sets it in a second surefire run of a set of test classes, so they run on both layouts.
     */
    public static final String PARTITION_SIZE_PROPERTY = "eventstore.test.partitionSize";

    /** Positions a partitioned test schema has partitions for: more than any test class appends. */
    static final long TEST_POSITIONS = 1_000;

    /**
     * {@code config} with the events-table layout this test run uses: partitioned when {@value #PARTITION_SIZE_PROPERTY}
     * is set, otherwise as given. Test classes that run on both layouts build their schema and store from it.
     */
    public static StoreConfig layout(StoreConfig config) {
        String size = System.getProperty(PARTITION_SIZE_PROPERTY, "");
        return size.isBlank() || config.isPartitioned() ? config : config.withPartitioning(Long.parseLong(size));
    }

    /**
     * Creates an empty schema with a unique name and the store's tables for {@code config} inside it; a partitioned
     * schema gets partitions for the first {@value #TEST_POSITIONS} positions.
     */
    public TestSchema createSchema(StoreConfig config) throws SQLException {
        TestSchema schema = createEmptySchema();
        try (Connection connection = connect(schema.name()); Statement statement = connection.createStatement()) {
            statement.execute(MigrationGenerator.schemaSql(config));
            if (config.isPartitioned()) {
                long size = config.positionsPerPartition().getAsLong();
                long ahead = Math.max(2, (TEST_POSITIONS + size - 1) / size - 1);
                statement.execute("SELECT " + config.eventsTable() + "_create_partitions(" + ahead + ")");
            }
        }
        return schema;
    }

    /** Creates an empty schema with a unique name. */
    public TestSchema createEmptySchema() throws SQLException {
        String name = "es_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
        }
        return new TestSchema(this, name);
    }

    /** Kept apart so the Testcontainers classes load only when this path is taken. */
    private static final class Containers {
        static TestDatabase startIfDockerAvailable() {
            try {
                if (!org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
                    return null;
                }
                @SuppressWarnings("resource") // lives as long as the JVM; Ryuk removes it afterwards
                var container = new org.testcontainers.containers.PostgreSQLContainer<>("postgres:16-alpine");
                container.start();
                return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                        "Testcontainers");
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
        }
    }
}

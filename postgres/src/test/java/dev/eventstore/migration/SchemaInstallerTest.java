package dev.eventstore.migration;

import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema installed on a real PostgreSQL: idempotent, run again after a deadlock, not after other failures. */
class SchemaInstallerTest {

    private TestSchema schema;
    private PGSimpleDataSource dataSource;

    @BeforeEach
    void createEmptySchema() throws SQLException {
        schema = TestDatabase.get().createEmptySchema();
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(schema.url());
        dataSource.setUser(TestDatabase.get().user());
        dataSource.setPassword(TestDatabase.get().password());
    }

    @AfterEach
    void dropSchema() throws SQLException {
        schema.close();
    }

    @Test
    void installsTheTablesAndInstallingAgainChangesNothing() throws SQLException {
        SchemaInstaller.install(dataSource, StoreConfig.defaults());
        SchemaInstaller.install(dataSource, StoreConfig.defaults());

        assertThat(schema.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
                + " AND tablename IN ('events', 'aggregate_heads', 'projection_checkpoints')")).isEqualTo(3);
    }

    @Test
    void aDeadlockVictimRunsAgainOnAFreshConnection() throws SQLException {
        AtomicInteger connections = new AtomicInteger();

        SchemaInstaller.install(failingFirst(connections, "40P01"), StoreConfig.defaults());

        assertThat(connections).hasValue(2);
        assertThat(schema.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
                + " AND tablename = 'events'")).isEqualTo(1);
    }

    @Test
    void anotherFailureIsReportedAtOnceAndWritesNothing() throws SQLException {
        AtomicInteger connections = new AtomicInteger();

        assertThatThrownBy(() -> SchemaInstaller.install(failingFirst(connections, "42501"), StoreConfig.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Could not create the event store tables: refused on purpose");
        assertThat(connections).hasValue(1);
        assertThat(schema.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"))
                .isZero();
    }

    /** The first connection's statement fails with {@code sqlState} after the real SQL ran; later ones are real. */
    private DataSource failingFirst(AtomicInteger connections, String sqlState) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        return invoke(method, dataSource, args);
                    }
                    Connection real = dataSource.getConnection();
                    if (connections.incrementAndGet() > 1) {
                        return real;
                    }
                    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                            (p, m, a) -> {
                                if (m.getName().equals("createStatement")) {
                                    return Proxy.newProxyInstance(getClass().getClassLoader(),
                                            new Class<?>[]{java.sql.Statement.class}, (sp, sm, sa) -> {
                                                if (sm.getName().equals("execute")) {
                                                    real.createStatement().execute((String) sa[0]);
                                                    throw new SQLException("refused on purpose", sqlState);
                                                }
                                                return null;
                                            });
                                }
                                return invoke(m, real, a);
                            });
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

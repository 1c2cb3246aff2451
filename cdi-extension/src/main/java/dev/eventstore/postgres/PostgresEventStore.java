package dev.eventstore.postgres;

import dev.eventstore.EventStore;
import dev.eventstore.postgres.internal.ConnectionAccess;
import dev.eventstore.postgres.internal.EventLogSql;
import dev.eventstore.postgres.internal.JdbcEventStore;

import java.sql.Connection;
import java.util.Objects;

/**
 * Entry point of the PostgreSQL event store for plain Java: build one per configuration, then bind it to the
 * connection of the transaction at hand.
 *
 * <pre>{@code
 * PostgresEventStore store = PostgresEventStore.create(StoreConfig.defaults());
 * try (Connection connection = dataSource.getConnection()) {
 *     connection.setAutoCommit(false);
 *     store.on(connection).append(ExpectedVersion.noStream(), List.of(event));
 *     connection.commit();
 * }
 * }</pre>
 *
 * <p>The store never commits, rolls back or closes the caller's connection. Each append is a single SQL statement,
 * so it is atomic even on a connection in auto-commit mode. Instances are immutable and thread-safe; the SQL is built
 * once per configuration.
 */
public final class PostgresEventStore {

    private final StoreConfig config;
    private final EventLogSql sql;

    private PostgresEventStore(StoreConfig config) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.sql = new EventLogSql(config);
    }

    public static PostgresEventStore create(StoreConfig config) {
        return new PostgresEventStore(config);
    }

    /** The store working inside {@code connection}'s current transaction. Cheap: create one per unit of work. */
    public EventStore on(Connection connection) {
        Objects.requireNonNull(connection, "connection must not be null");
        return new JdbcEventStore(sql, ConnectionAccess.borrowed(connection));
    }

    public StoreConfig config() {
        return config;
    }
}

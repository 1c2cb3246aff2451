package dev.eventstore.postgres.spi;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the store gets a connection for one operation: the caller's own connection, or one borrowed from a
 * transaction-bound pool and given back afterwards.
 */
public interface ConnectionAccess {

    /** Runs {@code work} on a connection that belongs to the caller's current transaction. */
    <T> T withConnection(SqlWork<T> work) throws SQLException;

    /**
     * A connection of the caller's current transaction for work that outlives one call, such as the cursor behind
     * {@code EventStore.stream}: it must stay open until the lease is closed, and closing the lease gives it back.
     *
     * <p>No default on purpose: an access that gives its connection back after each {@link #withConnection} call
     * would otherwise hand out a closed connection here.
     */
    Lease lease() throws SQLException;

    /** Work to do on a connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A connection held until {@link #close()}. */
    @FunctionalInterface
    interface Lease extends AutoCloseable {
        Connection connection();

        /** Gives the connection back; the default keeps it open, because it belongs to the caller. */
        @Override
        default void close() throws SQLException {
        }
    }

    /** Uses the caller's connection as it is; never closes it. */
    static ConnectionAccess borrowed(Connection connection) {
        return new ConnectionAccess() {
            @Override
            public <T> T withConnection(SqlWork<T> work) throws SQLException {
                return work.run(connection);
            }

            @Override
            public Lease lease() {
                return () -> connection;
            }
        };
    }
}

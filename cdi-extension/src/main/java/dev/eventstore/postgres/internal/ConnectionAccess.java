package dev.eventstore.postgres.internal;

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
     * <p>The default hands out the connection {@link #withConnection} sees and gives nothing back, which is right only
     * for accesses whose connection stays open for the whole transaction (like {@link #borrowed(Connection)}).
     * An access that closes its connection after each {@code withConnection} call must override this.
     */
    default Lease lease() throws SQLException {
        Connection connection = withConnection(c -> c);
        return () -> connection;
    }

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

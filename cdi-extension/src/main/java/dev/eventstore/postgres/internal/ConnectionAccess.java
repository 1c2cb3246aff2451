package dev.eventstore.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the store gets a connection for one operation: the caller's own connection, or one borrowed from a
 * transaction-bound pool and given back afterwards.
 */
@FunctionalInterface
public interface ConnectionAccess {

    /** Runs {@code work} on a connection that belongs to the caller's current transaction. */
    <T> T withConnection(SqlWork<T> work) throws SQLException;

    /** Work to do on a connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Uses the caller's connection as it is; never closes it. */
    static ConnectionAccess borrowed(Connection connection) {
        return new ConnectionAccess() {
            @Override
            public <T> T withConnection(SqlWork<T> work) throws SQLException {
                return work.run(connection);
            }
        };
    }
}

package dev.eventstore.async;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the projection runtime demarcates its work: each batch in a transaction of its own, with a connection of that
 * transaction, and small bookkeeping (leases, failures) in auto-commit. Plain Java uses
 * {@link #local(javax.sql.DataSource)}; the CDI extension plugs in JTA so read models written through JPA commit
 * with the checkpoint.
 */
public interface BatchTransactions {

    /** Work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws Exception;
    }

    /** Runs {@code work} in a new transaction: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(Work<T> work) throws Exception;

    /** Runs {@code work} outside any transaction, each statement committing on its own. */
    <T> T autoCommit(Work<T> work) throws SQLException;

    /** Local JDBC transactions on connections of {@code dataSource}. */
    static BatchTransactions local(javax.sql.DataSource dataSource) {
        return new dev.eventstore.async.internal.LocalTransactions(dataSource);
    }
}

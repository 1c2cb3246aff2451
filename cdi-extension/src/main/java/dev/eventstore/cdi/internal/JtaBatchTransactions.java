package dev.eventstore.cdi.internal;

import dev.eventstore.async.BatchTransactions;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Batches of the asynchronous runtime as JTA transactions: the checkpoint (through the JTA datasource) and whatever
 * the projection writes (JPA, JDBC, JMS) commit or roll back together.
 */
final class JtaBatchTransactions implements BatchTransactions {

    private final DataSource dataSource;
    private final UserTransaction transaction;

    JtaBatchTransactions(DataSource dataSource, UserTransaction transaction) {
        this.dataSource = dataSource;
        this.transaction = transaction;
    }

    @Override
    public <T> T inTransaction(Work<T> work) throws Exception {
        transaction.begin();
        try {
            T result;
            try (Connection connection = dataSource.getConnection()) {
                result = work.run(connection);
            }
            transaction.commit();
            return result;
        } catch (Exception | Error e) {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
            throw e;
        }
    }

    @Override
    public <T> T autoCommit(Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(e);
        }
    }
}

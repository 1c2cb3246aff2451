package dev.eventstore.async.internal;

import dev.eventstore.async.BatchTransactions;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Plain JDBC transactions: auto-commit off, commit or roll back, connection closed. */
public final class LocalTransactions implements BatchTransactions {

    private final DataSource dataSource;

    public LocalTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public <T> T inTransaction(Work<T> work) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (Exception | Error e) {
                connection.rollback();
                throw e;
            }
        }
    }

    @Override
    public <T> T autoCommit(Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            return work.run(connection);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(e);
        }
    }
}

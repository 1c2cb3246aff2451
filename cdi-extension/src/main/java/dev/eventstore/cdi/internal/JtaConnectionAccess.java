package dev.eventstore.cdi.internal;

import dev.eventstore.TransactionRequiredException;
import dev.eventstore.postgres.spi.ConnectionAccess;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Borrows a connection from the JTA datasource for each operation and gives the handle back right after; the
 * container keeps the physical connection enlisted in the current transaction, so all operations of one transaction
 * share it. Refuses to run without an active transaction: it never starts one and never falls back to auto-commit.
 */
final class JtaConnectionAccess implements ConnectionAccess {

    private final DataSource dataSource;
    private final TransactionSynchronizationRegistry transactions;

    JtaConnectionAccess(DataSource dataSource, TransactionSynchronizationRegistry transactions) {
        this.dataSource = dataSource;
        this.transactions = transactions;
    }

    @Override
    public <T> T withConnection(SqlWork<T> work) throws SQLException {
        requireActiveTransaction();
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        }
    }

    /** The handle stays open, enlisted in the transaction, until the lease (a stream's cursor) is closed. */
    @Override
    public Lease lease() throws SQLException {
        requireActiveTransaction();
        Connection connection = dataSource.getConnection();
        return new Lease() {
            @Override
            public Connection connection() {
                return connection;
            }

            @Override
            public void close() throws SQLException {
                connection.close();
            }
        };
    }

    private void requireActiveTransaction() {
        int status = transactions.getTransactionStatus();
        if (status != Status.STATUS_ACTIVE) {
            throw new TransactionRequiredException("The event store needs an active JTA transaction, but "
                    + describe(status) + ". Call it from an EJB business method or a CDI bean method annotated"
                    + " @Transactional (jakarta.transaction). Nothing was read or written.");
        }
    }

    private static String describe(int status) {
        return switch (status) {
            case Status.STATUS_NO_TRANSACTION -> "no transaction is active";
            case Status.STATUS_MARKED_ROLLBACK -> "the current transaction is marked for rollback";
            case Status.STATUS_ROLLEDBACK, Status.STATUS_ROLLING_BACK -> "the current transaction is rolling back";
            case Status.STATUS_COMMITTED, Status.STATUS_COMMITTING, Status.STATUS_PREPARED, Status.STATUS_PREPARING ->
                    "the current transaction is already completing";
            default -> "the transaction status is " + status;
        };
    }
}

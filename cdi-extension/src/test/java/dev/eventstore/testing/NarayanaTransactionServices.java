package dev.eventstore.testing;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;
import org.jboss.weld.transaction.spi.TransactionServices;

/**
 * Tells Weld SE about Narayana's transactions. Without it Weld fires transactional observers
 * ({@code @Observes(during = AFTER_SUCCESS)}) immediately, as if there were no transaction.
 */
public final class NarayanaTransactionServices implements TransactionServices {

    @Override
    public void registerSynchronization(Synchronization synchronization) {
        JtaEnvironment.synchronizationRegistry().registerInterposedSynchronization(synchronization);
    }

    @Override
    public boolean isTransactionActive() {
        try {
            int status = JtaEnvironment.transactionManager().getStatus();
            return status == Status.STATUS_ACTIVE || status == Status.STATUS_MARKED_ROLLBACK
                    || status == Status.STATUS_PREPARED || status == Status.STATUS_PREPARING
                    || status == Status.STATUS_COMMITTING || status == Status.STATUS_ROLLING_BACK
                    || status == Status.STATUS_UNKNOWN;
        } catch (SystemException e) {
            throw new IllegalStateException("Narayana could not report the transaction status", e);
        }
    }

    @Override
    public UserTransaction getUserTransaction() {
        return JtaEnvironment.userTransaction();
    }

    @Override
    public void cleanup() {
    }
}

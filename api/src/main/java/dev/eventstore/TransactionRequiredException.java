package dev.eventstore;

import java.io.Serial;

/**
 * The container-managed store was used without an active JTA transaction. It never runs outside one and never starts
 * one itself: call it from an EJB business method (container-managed transactions) or a CDI bean method annotated
 * {@code @Transactional}. Nothing was written.
 */
public class TransactionRequiredException extends EventStoreException {

    @Serial
    private static final long serialVersionUID = 1L;

    public TransactionRequiredException(String message) {
        super(message);
    }
}

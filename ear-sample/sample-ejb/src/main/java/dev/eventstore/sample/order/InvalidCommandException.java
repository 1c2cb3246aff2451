package dev.eventstore.sample.order;

import jakarta.ejb.ApplicationException;

import java.io.Serial;

/** A command the order cannot accept in its current state, or with these values. Answered with HTTP 400. */
@ApplicationException(rollback = true)
public class InvalidCommandException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public InvalidCommandException(String message) {
        super(message);
    }
}

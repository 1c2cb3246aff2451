package dev.eventstore.sample.order;

import jakarta.ejb.ApplicationException;

import java.io.Serial;

/** No order with this id has any event. Answered with HTTP 404. */
@ApplicationException(rollback = true)
public class OrderNotFoundException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public OrderNotFoundException(String orderId) {
        super("No order " + orderId);
    }
}

package dev.eventstore.docs;

import dev.eventstore.AggregateStream;
import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.util.List;

// The service of docs/jakarta-ee.md. JakartaEeDocTest deploys it in Weld SE (as a plain bean: Weld SE has no EJB
// container) and calls it in a JTA transaction, which is what the container-managed transaction would be.
// doc: order-service begins
@Stateless
public class OrderService {
    @Inject EventStore store;                       // joins the EJB's container-managed transaction

    public void confirm(String orderId) {
        AggregateStream stream = store.readAggregateStream("Order", orderId);
        Event confirmed = Event.builder("Order", orderId, "OrderConfirmed").build();   // decided from the stream
        store.append(ExpectedVersion.exact(stream.version()), List.of(confirmed));
    }
}
// doc: order-service ends

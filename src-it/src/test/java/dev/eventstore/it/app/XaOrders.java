package dev.eventstore.it.app;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.jms.JMSContext;

import java.util.List;

/**
 * The commands of the two-phase commit tests: each appends to the store, on an XA datasource, and sends an
 * integration message through the container-managed {@code JMSContext}, in the one container-managed transaction
 * of the EJB call.
 */
@Stateless
public class XaOrders {

    /** A name every broker accepts: OpenMQ's allow letters, digits and underscores only. */
    public static final String QUEUE = "eventstore_it_xa";
    public static final String AGGREGATE_TYPE = "XaOrder";

    @Inject
    EventStore store;

    @Inject
    JMSContext jms;

    @Inject
    PrepareGate gate;

    public void place(String orderId) {
        store.append(ExpectedVersion.noStream(), List.of(placed(orderId)));
        publish(orderId);
    }

    public void placeThenFail(String orderId) {
        place(orderId);
        throw new IllegalStateException("the command fails after its append and its send");
    }

    /** Sends first; the append then finds the order placed already and is rejected. */
    public void placeAgain(String orderId) {
        publish(orderId);
        store.append(ExpectedVersion.noStream(), List.of(placed(orderId)));
    }

    /** As {@link #place}, but the commit waits, both branches prepared, until the test votes. */
    public void placeHeldInPrepare(String orderId) {
        place(orderId);
        gate.holdCurrentTransactionInPrepare();
    }

    private void publish(String orderId) {
        jms.createProducer()
                .setProperty("aggregateId", orderId)
                .send(jms.createQueue(QUEUE), "OrderPlaced " + orderId);
    }

    private static Event placed(String orderId) {
        return Event.builder(AGGREGATE_TYPE, orderId, "OrderPlaced").jsonPayload("{}").build();
    }
}

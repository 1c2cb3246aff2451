package dev.eventstore.docs;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.JMSContext;

// The exactly-once publisher of docs/xa-and-jms.md. ExactlyOncePublishingTest runs it in Weld SE with Narayana, an
// XA datasource and an embedded Artemis broker, kills the JVM in the middle of its batches and restarts it.
// doc: order-event-publisher begins
@ApplicationScoped
@Projection(name = "order-events-to-jms", aggregateTypes = "Order", mode = ProjectionMode.ASYNC)
public class OrderEventPublisher {
    @Inject JMSContext jms;            // container-managed: joins the batch's JTA transaction as an XA resource

    @EventHandler
    public void on(PersistedEvent event) {
        jms.createProducer()
                .setProperty("eventId", event.eventId().toString())            // for consumers that deduplicate
                .setProperty("aggregateId", event.aggregateId())
                .setProperty("aggregateVersion", event.aggregateVersion())
                .setProperty("JMSXGroupID", event.aggregateType() + ":" + event.aggregateId())  // order per aggregate
                .send(jms.createQueue("order-events"), event.payloadAsString());
    }
}
// doc: order-event-publisher ends

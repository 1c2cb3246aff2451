package dev.eventstore.docs;

import dev.eventstore.PersistedEvent;
import dev.eventstore.cdi.AggregateType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/** The observers of docs/jakarta-ee.md, deployed by JakartaEeDocTest next to the store. */
@ApplicationScoped
public class CdiEventObservers {

    // doc: cdi-observers begins
    void audit(@Observes PersistedEvent event) { }                                    // in the transaction
    void invoices(@Observes @AggregateType("Invoice") PersistedEvent event) { }       // one aggregate type
    void mail(@Observes(during = TransactionPhase.AFTER_SUCCESS) PersistedEvent e) { } // committed events only
    // doc: cdi-observers ends
}

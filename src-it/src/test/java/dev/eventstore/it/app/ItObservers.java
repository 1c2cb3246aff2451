package dev.eventstore.it.app;

import dev.eventstore.PersistedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records, per aggregate id, the event types an AFTER_SUCCESS observer received. */
@ApplicationScoped
public class ItObservers {

    private final List<PersistedEvent> committed = new CopyOnWriteArrayList<>();

    void afterSuccess(@Observes(during = TransactionPhase.AFTER_SUCCESS) PersistedEvent event) {
        committed.add(event);
    }

    public List<String> committedTypes(String aggregateId) {
        return committed.stream().filter(e -> e.aggregateId().equals(aggregateId)).map(PersistedEvent::eventType)
                .toList();
    }
}

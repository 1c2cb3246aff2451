package dev.eventstore.it.app;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Inline projection writing a JPA entity in the append's transaction. */
@ApplicationScoped
@Projection(name = "it-rows", aggregateTypes = "ItOrder")
public class ItProjection {

    @PersistenceContext
    EntityManager entityManager;

    @EventHandler
    public void on(PersistedEvent event) {
        entityManager.persist(new ItRow(event.eventId().toString(), event.aggregateId(), event.aggregateVersion()));
    }
}

package dev.eventstore.it.app;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Asynchronous projection: run by the store's runtime on a managed thread, JPA writes in its JTA batch. */
@ApplicationScoped
@Projection(name = "it-async-rows", aggregateTypes = "ItAsync", mode = ProjectionMode.ASYNC)
public class ItAsyncProjection {

    @PersistenceContext
    EntityManager entityManager;

    @EventHandler
    public void on(PersistedEvent event) {
        entityManager.persist(new ItAsyncRow(event.eventId().toString(), event.aggregateId()));
    }
}

package dev.eventstore.it.app;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;

/** An EJB using the injected store with container-managed transactions, as application code does. */
@Stateless
public class ItAppender {

    @Inject
    EventStore store;

    @PersistenceContext
    EntityManager entityManager;

    @Resource
    SessionContext session;

    public void place(String id, String... types) {
        store.append(ExpectedVersion.noStream(), events("ItOrder", id, types));
    }

    public void placeAsync(String id, String... types) {
        store.append(ExpectedVersion.noStream(), events("ItAsync", id, types));
    }

    public void placeAsyncThenThrow(String id) {
        placeAsync(id, "Discarded");
        throw new IllegalStateException("rolled back after the append");
    }

    public long asyncRows(String id) {
        return entityManager.createQuery("SELECT count(r) FROM ItAsyncRow r WHERE r.aggregateId = :id", Long.class)
                .setParameter("id", id).getSingleResult();
    }

    public void placeThenThrow(String id) {
        place(id, "Placed");
        throw new IllegalStateException("business rule broken after the append");
    }

    public void placeThenSetRollbackOnly(String id) {
        place(id, "Placed");
        session.setRollbackOnly();
    }

    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void placeWithoutTransaction(String id) {
        place(id, "Placed");
    }

    public long events(String id) {
        return store.readAggregateStream("ItOrder", id).size();
    }

    public void placeOfType(String aggregateType, String id, String... types) {
        store.append(ExpectedVersion.noStream(), events(aggregateType, id, types));
    }

    public long events(String aggregateType, String id) {
        return store.readAggregateStream(aggregateType, id).size();
    }

    public long rows(String id) {
        return entityManager.createQuery("SELECT count(r) FROM ItRow r WHERE r.aggregateId = :id", Long.class)
                .setParameter("id", id).getSingleResult();
    }

    private static List<Event> events(String aggregateType, String id, String... types) {
        return java.util.Arrays.stream(types)
                .map(type -> Event.builder(aggregateType, id, type).jsonPayload("{}").build())
                .toList();
    }
}

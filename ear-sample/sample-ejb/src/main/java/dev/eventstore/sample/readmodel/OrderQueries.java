package dev.eventstore.sample.readmodel;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import java.util.List;
import java.util.Optional;

/** Reads the order overview read model; never touches the event store. */
@Stateless
public class OrderQueries {

    @PersistenceContext(unitName = "orders")
    EntityManager entityManager;

    public Optional<OrderOverview> find(String orderId) {
        return Optional.ofNullable(entityManager.find(OrderOverview.class, orderId));
    }

    public Optional<CustomerTotals> customerTotals(String customer) {
        return Optional.ofNullable(entityManager.find(CustomerTotals.class, customer));
    }

    /** Orders filtered by customer and/or status (each optional), newest change first. */
    public List<OrderOverview> search(String customer, String status, int limit) {
        TypedQuery<OrderOverview> query = entityManager.createQuery(
                "SELECT o FROM OrderOverview o"
                        + " WHERE (:customer IS NULL OR o.customer = :customer)"
                        + " AND (:status IS NULL OR o.status = :status)"
                        + " ORDER BY o.updatedAt DESC, o.orderId", OrderOverview.class);
        return query.setParameter("customer", customer)
                .setParameter("status", status)
                .setMaxResults(limit)
                .getResultList();
    }
}

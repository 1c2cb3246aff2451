package dev.eventstore.jpa.order;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Orders per customer, counted by the asynchronous {@link CustomerOrdersProjection}: not idempotent on purpose. */
@Entity
@Table(name = "customer_orders_v1")
public class CustomerOrders {

    @Id
    @Column(name = "customer")
    private String customer;

    @Column(nullable = false)
    private int orders;

    protected CustomerOrders() {
    }

    CustomerOrders(String customer) {
        this.customer = customer;
    }

    void orderPlaced() {
        orders++;
    }

    public String getCustomer() {
        return customer;
    }

    public int getOrders() {
        return orders;
    }
}

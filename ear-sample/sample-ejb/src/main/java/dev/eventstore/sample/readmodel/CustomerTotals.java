package dev.eventstore.sample.readmodel;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Per-customer totals, maintained by the asynchronous {@link CustomerTotalsProjection}: eventually consistent, a few
 * milliseconds to a poll interval behind the events, and exactly once because each batch commits with its checkpoint.
 */
@Entity
@Table(name = "customer_totals_v1")
public class CustomerTotals {

    @Id
    @Column(name = "customer")
    private String customer;

    @Column(nullable = false)
    private int orders;

    @Column(nullable = false)
    private int lines;

    @Column(name = "total_cents", nullable = false)
    private long totalCents;

    protected CustomerTotals() {
    }

    CustomerTotals(String customer) {
        this.customer = customer;
    }

    void orderPlaced() {
        orders++;
    }

    void lineAdded(long lineTotalCents) {
        lines++;
        totalCents += lineTotalCents;
    }

    public String getCustomer() {
        return customer;
    }

    public int getOrders() {
        return orders;
    }

    public int getLines() {
        return lines;
    }

    public long getTotalCents() {
        return totalCents;
    }
}

package dev.eventstore.jpa.order;

import dev.eventstore.jpa.AggregateReadModel;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The seeds' read model {@code order_overview_v1}. */
@Entity
@Table(name = "order_overview_v1")
public class OrderOverview extends AggregateReadModel {

    @Id
    @Column(name = "order_id")
    private String orderId;

    @Column(nullable = false)
    private String customer;

    @Column(nullable = false)
    private String status;

    @Column(nullable = false, length = 3)
    private String currency;

    @Column(name = "total_cents", nullable = false)
    private long totalCents;

    @Column(name = "line_count", nullable = false)
    private int lineCount;

    protected OrderOverview() {
    }

    OrderOverview(String orderId) {
        this.orderId = orderId;
    }

    void apply(Object event) {
        if (event instanceof OrderEvents.OrderPlaced placed) {
            customer = placed.customer();
            currency = placed.currency();
            status = "OPEN";
        } else if (event instanceof OrderEvents.OrderLineAdded line) {
            lineCount++;
            totalCents += line.quantity() * line.unitPriceCents();
        } else if (event instanceof OrderEvents.OrderConfirmed) {
            status = "CONFIRMED";
        }
    }

    public String orderId() {
        return orderId;
    }

    public String status() {
        return status;
    }

    public long totalCents() {
        return totalCents;
    }

    public int lineCount() {
        return lineCount;
    }
}

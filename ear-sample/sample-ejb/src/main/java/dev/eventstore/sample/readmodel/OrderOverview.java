package dev.eventstore.sample.readmodel;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One row per order, maintained by the inline order-overview projection in the same transaction as the append.
 * {@code version} is the last aggregate version applied, which makes replays and retries harmless.
 */
@Entity
@Table(name = "order_overview_v1")
public class OrderOverview {

    @Id
    @Column(name = "order_id", length = 64)
    private String orderId;

    @Column(nullable = false)
    private String customer;

    @Column(nullable = false, length = 16)
    private String status;

    @Column(nullable = false, length = 3)
    private String currency;

    @Column(name = "total_cents", nullable = false)
    private long totalCents;

    @Column(name = "line_count", nullable = false)
    private int lineCount;

    @Column(nullable = false)
    private long version;

    /** OffsetDateTime, not Instant: JPA 3.1 providers (EclipseLink on Payara) do not map Instant portably. */
    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    protected OrderOverview() {
    }

    public OrderOverview(String orderId, String customer, String currency) {
        this.orderId = orderId;
        this.customer = customer;
        this.currency = currency;
        this.status = "OPEN";
    }

    public String getOrderId() {
        return orderId;
    }

    public String getCustomer() {
        return customer;
    }

    public String getStatus() {
        return status;
    }

    public String getCurrency() {
        return currency;
    }

    public long getTotalCents() {
        return totalCents;
    }

    public int getLineCount() {
        return lineCount;
    }

    public long getVersion() {
        return version;
    }

    public OffsetDateTime getUpdatedAt() {
        return updatedAt;
    }

    void addLine(long lineTotalCents) {
        lineCount++;
        totalCents += lineTotalCents;
    }

    void confirm() {
        status = "CONFIRMED";
    }

    void applied(long aggregateVersion, Instant at) {
        version = aggregateVersion;
        updatedAt = OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}

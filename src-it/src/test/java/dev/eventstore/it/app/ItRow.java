package dev.eventstore.it.app;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A read-model row written by {@link ItProjection} through JPA. */
@Entity
@Table(name = "it_projected_rows")
public class ItRow {

    @Id
    @Column(name = "event_id", length = 36)
    private String eventId;

    @Column(name = "aggregate_id", nullable = false)
    private String aggregateId;

    @Column(name = "aggregate_version", nullable = false)
    private long aggregateVersion;

    protected ItRow() {
    }

    public ItRow(String eventId, String aggregateId, long aggregateVersion) {
        this.eventId = eventId;
        this.aggregateId = aggregateId;
        this.aggregateVersion = aggregateVersion;
    }
}

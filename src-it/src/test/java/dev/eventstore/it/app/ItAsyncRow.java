package dev.eventstore.it.app;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A read-model row written by {@link ItAsyncProjection} through JPA, in the runtime's JTA batch. */
@Entity
@Table(name = "it_async_rows")
public class ItAsyncRow {

    @Id
    @Column(name = "event_id", length = 36)
    private String eventId;

    @Column(name = "aggregate_id", nullable = false)
    private String aggregateId;

    protected ItAsyncRow() {
    }

    public ItAsyncRow(String eventId, String aggregateId) {
        this.eventId = eventId;
        this.aggregateId = aggregateId;
    }
}

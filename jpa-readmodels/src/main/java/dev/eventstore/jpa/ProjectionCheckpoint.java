package dev.eventstore.jpa;

import dev.eventstore.projection.ProjectionState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The checkpoint row of an asynchronous projection ({@code projection_checkpoints}, created by the migration
 * generator), mapped read-only so applications can show projection health with the persistence unit they already
 * have. The projection runtime owns the row and writes it through JDBC in each batch's transaction; nothing here
 * is updatable, so JPA can never overwrite a checkpoint. Add the class to your persistence unit (or list it in
 * {@code persistence.xml}); for another table name use an {@code orm.xml} mapping.
 */
@Entity
@Table(name = "projection_checkpoints")
public class ProjectionCheckpoint {

    @Id
    @Column(name = "projection_name", insertable = false, updatable = false)
    private String projectionName;

    /** {@code xid8} read as text: the transaction half of the gap-safe checkpoint. */
    @Column(name = "last_transaction_id", insertable = false, updatable = false, columnDefinition = "xid8")
    private String lastTransactionId;

    @Column(name = "last_position", insertable = false, updatable = false)
    private long lastPosition;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", insertable = false, updatable = false)
    private ProjectionState status;

    @Column(name = "failure_count", insertable = false, updatable = false)
    private int failureCount;

    @Column(name = "last_error", insertable = false, updatable = false)
    private String lastError;

    @Column(name = "failed_position", insertable = false, updatable = false)
    private Long failedPosition;

    @Column(name = "lease_owner", insertable = false, updatable = false)
    private String leaseOwner;

    @Column(name = "lease_until", insertable = false, updatable = false)
    private OffsetDateTime leaseUntil;

    @Column(name = "updated_at", insertable = false, updatable = false)
    private OffsetDateTime updatedAt;

    protected ProjectionCheckpoint() {
    }

    public String projectionName() {
        return projectionName;
    }

    public long lastTransactionId() {
        return Long.parseLong(lastTransactionId);
    }

    public long lastPosition() {
        return lastPosition;
    }

    public ProjectionState status() {
        return status;
    }

    public int failureCount() {
        return failureCount;
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public OptionalLong failedPosition() {
        return failedPosition == null ? OptionalLong.empty() : OptionalLong.of(failedPosition);
    }

    public Optional<String> leaseOwner() {
        return Optional.ofNullable(leaseOwner);
    }

    public Optional<OffsetDateTime> leaseUntil() {
        return Optional.ofNullable(leaseUntil);
    }

    public OffsetDateTime updatedAt() {
        return updatedAt;
    }
}

package dev.eventstore.async.internal;

import dev.eventstore.PersistedEvent;
import dev.eventstore.postgres.internal.EventRowMapper;
import dev.eventstore.projection.ProjectionState;
import dev.eventstore.projection.ProjectionStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/** The checkpoint table's operations, each on a connection the caller provides (and commits). */
final class Checkpoints {

    private final CheckpointSql sql;

    Checkpoints(CheckpointSql sql) {
        this.sql = sql;
    }

    /** Makes the projection's segment rows unless it has any: rows of another count are left for a rebuild. */
    void ensure(Connection connection, String projection, int segments) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.ensure)) {
            statement.setString(1, projection);
            statement.setInt(2, segments);
            statement.setInt(3, segments);
            statement.setString(4, projection);
            statement.executeUpdate();
        }
    }

    /** Renews this node's heartbeat and returns the nodes alive for the projection, this one included. */
    Set<String> heartbeat(Connection connection, String projection, String node, long leaseMillis)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.heartbeat)) {
            statement.setString(1, projection);
            statement.setString(2, node);
            statement.setString(3, projection);
            statement.setString(4, node);
            statement.setLong(5, leaseMillis);
            statement.setString(6, projection);
            Set<String> alive = new HashSet<>();
            alive.add(node);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    alive.add(rows.getString(1));
                }
            }
            return alive;
        }
    }

    void forgetNode(Connection connection, String projection, String node) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.forgetNode)) {
            statement.setString(1, projection);
            statement.setString(2, node);
            statement.executeUpdate();
        }
    }

    /** A segment's row as a claim sees it: the owner only while its lease is valid. */
    record SegmentRow(int segment, int segmentCount, Optional<String> owner) {
    }

    List<SegmentRow> segmentRows(Connection connection, String projection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.segmentRows)) {
            statement.setString(1, projection);
            List<SegmentRow> rows = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    rows.add(new SegmentRow(row.getInt(1), row.getInt(2), Optional.ofNullable(row.getString(3))));
                }
            }
            return rows;
        }
    }

    /** Takes or renews the segment's lease; empty when another node holds a valid one. */
    Optional<ProjectionState> acquireLease(Connection connection, String projection, int segment, String node,
                                           long leaseMillis) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.acquireLease)) {
            statement.setString(1, node);
            statement.setLong(2, leaseMillis);
            statement.setString(3, projection);
            statement.setInt(4, segment);
            statement.setString(5, node);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(ProjectionState.valueOf(row.getString(1))) : Optional.empty();
            }
        }
    }

    /** Takes a free or expired segment lease; false when another node holds it (or took it first). */
    boolean claimLease(Connection connection, String projection, int segment, String node, long leaseMillis)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.claimLease)) {
            statement.setString(1, node);
            statement.setLong(2, leaseMillis);
            statement.setString(3, projection);
            statement.setInt(4, segment);
            return statement.executeUpdate() == 1;
        }
    }

    void releaseLease(Connection connection, String projection, int segment, String node) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.releaseLease)) {
            statement.setString(1, projection);
            statement.setInt(2, segment);
            statement.setString(3, node);
            statement.executeUpdate();
        }
    }

    /** A locked segment row: its checkpoint and the segment count it was made for. */
    record BatchLock(Checkpoint checkpoint, int segmentCount) {
    }

    /** Locks the segment's row for this batch; empty unless it is running and this node holds the lease. */
    Optional<BatchLock> lockForBatch(Connection connection, String projection, int segment, String node)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.lockForBatch)) {
            statement.setString(1, node);
            statement.setString(2, projection);
            statement.setInt(3, segment);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next() || !"RUNNING".equals(row.getString(3)) || !row.getBoolean(4)) {
                    return Optional.empty();
                }
                return Optional.of(new BatchLock(new Checkpoint(row.getString(1), row.getLong(2)), row.getInt(5)));
            }
        }
    }

    /** Locks every segment row of the projection for a rebuild, waiting for batches in flight to end. */
    void lockForRebuild(Connection connection, String projection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.lockForRebuild)) {
            statement.setString(1, projection);
            statement.executeQuery().close();
        }
    }

    /** The segment's events after {@code checkpoint} that no running transaction can still precede. */
    List<Read> readBatch(Connection connection, Checkpoint checkpoint, Set<String> aggregateTypes, int segment,
                         int segments, int limit) throws SQLException {
        boolean segmented = segments > 1;
        try (PreparedStatement statement = connection.prepareStatement(
                sql.readBatch(!aggregateTypes.isEmpty(), segmented))) {
            int index = 1;
            statement.setString(index++, checkpoint.transactionId());
            statement.setLong(index++, checkpoint.position());
            if (!aggregateTypes.isEmpty()) {
                statement.setArray(index++, connection.createArrayOf("text", aggregateTypes.toArray()));
            }
            if (segmented) {
                statement.setInt(index++, segments);
                statement.setInt(index++, segment);
            }
            statement.setInt(index, limit);
            try (ResultSet rows = statement.executeQuery()) {
                List<Read> events = new ArrayList<>();
                while (rows.next()) {
                    events.add(new Read(EventRowMapper.map(rows), rows.getString(EventRowMapper.WRITER_TRANSACTION_ID)));
                }
                return events;
            }
        }
    }

    /** One event and the transaction that wrote it. */
    record Read(PersistedEvent event, String transactionId) {
    }

    void advance(Connection connection, String projection, int segment, Checkpoint to, long leaseMillis)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.advance)) {
            statement.setString(1, to.transactionId());
            statement.setLong(2, to.position());
            statement.setLong(3, leaseMillis);
            statement.setString(4, projection);
            statement.setInt(5, segment);
            statement.executeUpdate();
        }
    }

    /** Counts a failure and parks the segment when it reaches {@code maxFailures}; returns the new state. */
    ProjectionState recordFailure(Connection connection, String projection, int segment, String error,
                                  Long failedPosition, int maxFailures) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.recordFailure)) {
            statement.setString(1, error);
            if (failedPosition == null) {
                statement.setNull(2, java.sql.Types.BIGINT);
            } else {
                statement.setLong(2, failedPosition);
            }
            statement.setInt(3, maxFailures);
            statement.setString(4, projection);
            statement.setInt(5, segment);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return ProjectionState.valueOf(row.getString(1));
            }
        }
    }

    /** Sets the state of one segment, or of all when {@code segment} is empty; returns the rows changed. */
    int setState(Connection connection, String projection, OptionalInt segment, ProjectionState state)
            throws SQLException {
        boolean running = state == ProjectionState.RUNNING;
        String statementSql = segment.isPresent() ? (running ? sql.resumeSegment : sql.setSegmentStatus)
                : (running ? sql.resume : sql.setStatus);
        try (PreparedStatement statement = connection.prepareStatement(statementSql)) {
            int index = 1;
            if (!running) {
                statement.setString(index++, state.name());
            }
            statement.setString(index++, projection);
            if (segment.isPresent()) {
                statement.setInt(index, segment.getAsInt());
            }
            return statement.executeUpdate();
        }
    }

    /** Replaces the projection's rows by {@code segments} fresh ones at the start (in the rebuild's transaction). */
    void reset(Connection connection, String projection, int segments) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql.deleteProjection)) {
            delete.setString(1, projection);
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(sql.insertSegments)) {
            insert.setString(1, projection);
            insert.setInt(2, segments);
            insert.setInt(3, segments);
            insert.executeUpdate();
        }
    }

    ProjectionStatus status(Connection connection, String projection, Set<String> aggregateTypes)
            throws SQLException {
        List<ProjectionStatus.Segment> segments = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql.select)) {
            statement.setString(1, projection);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    int segment = row.getInt(1);
                    int segmentCount = row.getInt(2);
                    String transactionId = row.getString(3);
                    long position = row.getLong(4);
                    ProjectionState state = ProjectionState.valueOf(row.getString(5));
                    int failures = row.getInt(6);
                    Optional<String> error = Optional.ofNullable(row.getString(7));
                    long failed = row.getLong(8);
                    OptionalLong failedPosition = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(failed);
                    Optional<String> owner = Optional.ofNullable(row.getString(9));
                    Timestamp leaseUntil = row.getTimestamp(10);
                    if (leaseUntil != null && leaseUntil.toInstant().isBefore(Instant.now())) {
                        owner = Optional.empty();
                    }
                    Instant updatedAt = row.getTimestamp(11).toInstant();
                    segments.add(new ProjectionStatus.Segment(segment, segmentCount, state,
                            Long.parseLong(transactionId), position, 0, Duration.ZERO, 0, failures, error,
                            failedPosition, owner, updatedAt));
                }
            }
        }
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("No checkpoint for projection '" + projection
                    + "'; register it and start the runtime first");
        }
        List<ProjectionStatus.Segment> withLag = new ArrayList<>();
        for (ProjectionStatus.Segment segment : segments) {
            Lag lag = lag(connection, new Checkpoint(Long.toString(segment.lastTransactionId()),
                    segment.lastPosition()), aggregateTypes, segment.segment(), segment.segmentCount());
            withLag.add(new ProjectionStatus.Segment(segment.segment(), segment.segmentCount(), segment.state(),
                    segment.lastTransactionId(), segment.lastPosition(), lag.events(), lag.age(), lag.waiting(),
                    segment.failureCount(), segment.lastError(), segment.failedPosition(), segment.leaseOwner(),
                    segment.updatedAt()));
        }
        return whole(projection, withLag, horizon(connection));
    }

    /** The projection as a whole, summed up from its segments as {@link ProjectionStatus} documents. */
    private static ProjectionStatus whole(String projection, List<ProjectionStatus.Segment> segments,
                                          Horizon horizon) {
        ProjectionState state = segments.stream().anyMatch(s -> s.state() == ProjectionState.PARKED)
                ? ProjectionState.PARKED
                : segments.stream().anyMatch(s -> s.state() == ProjectionState.PAUSED) ? ProjectionState.PAUSED
                : ProjectionState.RUNNING;
        ProjectionStatus.Segment slowest = segments.stream()
                .min(Comparator.comparingLong(ProjectionStatus.Segment::lastTransactionId)
                        .thenComparingLong(ProjectionStatus.Segment::lastPosition)).orElseThrow();
        ProjectionStatus.Segment failing = segments.stream()
                .max(Comparator.comparingInt(ProjectionStatus.Segment::failureCount)
                        .thenComparing(s -> s.lastError().isPresent())).orElseThrow();
        long lagEvents = segments.stream().mapToLong(ProjectionStatus.Segment::lagEvents).sum();
        Duration lagTime = segments.stream().map(ProjectionStatus.Segment::lagTime).max(Comparator.naturalOrder())
                .orElse(Duration.ZERO);
        long waiting = segments.stream().mapToLong(ProjectionStatus.Segment::waitingForHorizon).sum();
        Set<String> owners = new TreeSet<>();
        segments.forEach(s -> s.leaseOwner().ifPresent(owners::add));
        Instant updatedAt = segments.stream().map(ProjectionStatus.Segment::updatedAt).max(Comparator.naturalOrder())
                .orElseThrow();
        return new ProjectionStatus(projection, state, slowest.lastTransactionId(), slowest.lastPosition(),
                lagEvents, lagTime, waiting, horizon.holder(), horizon.prepared(), failing.failureCount(),
                failing.lastError(), failing.failedPosition(),
                owners.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", owners)), updatedAt, segments);
    }

    private record Lag(long events, Duration age, long waiting) {
    }

    private Lag lag(Connection connection, Checkpoint checkpoint, Set<String> aggregateTypes, int segment,
                    int segments) throws SQLException {
        boolean segmented = segments > 1;
        try (PreparedStatement statement = connection.prepareStatement(segmented ? sql.segmentLag : sql.lag)) {
            statement.setString(1, checkpoint.transactionId());
            statement.setLong(2, checkpoint.position());
            java.sql.Array types = connection.createArrayOf("text", aggregateTypes.toArray());
            statement.setArray(3, types);
            statement.setArray(4, types);
            if (segmented) {
                statement.setInt(5, segments);
                statement.setInt(6, segment);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                Timestamp oldest = row.getTimestamp(2);
                Duration age = oldest == null ? Duration.ZERO : Duration.between(oldest.toInstant(), Instant.now());
                return new Lag(row.getLong(1), age.isNegative() ? Duration.ZERO : age, row.getLong(3));
            }
        }
    }

    private record Horizon(Optional<ProjectionStatus.HorizonHolder> holder, int prepared) {
    }

    private Horizon horizon(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.horizon);
             ResultSet row = statement.executeQuery()) {
            row.next();
            int pid = row.getInt(1);
            Optional<ProjectionStatus.HorizonHolder> holder = row.wasNull() ? Optional.empty()
                    : Optional.of(new ProjectionStatus.HorizonHolder(pid, row.getString(2),
                    Duration.ofMillis((long) row.getDouble(3))));
            return new Horizon(holder, row.getInt(4));
        }
    }
}

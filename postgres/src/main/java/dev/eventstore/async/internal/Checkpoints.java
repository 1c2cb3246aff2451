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
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** The checkpoint table's operations, each on a connection the caller provides (and commits). */
final class Checkpoints {

    private final CheckpointSql sql;

    Checkpoints(CheckpointSql sql) {
        this.sql = sql;
    }

    void ensure(Connection connection, String projection) throws SQLException {
        update(connection, sql.ensure, projection);
    }

    /** Takes or renews the lease; empty when another node holds a valid one. */
    Optional<ProjectionState> acquireLease(Connection connection, String projection, String node, long leaseMillis)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.acquireLease)) {
            statement.setString(1, node);
            statement.setLong(2, leaseMillis);
            statement.setString(3, projection);
            statement.setString(4, node);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(ProjectionState.valueOf(row.getString(1))) : Optional.empty();
            }
        }
    }

    void releaseLease(Connection connection, String projection, String node) throws SQLException {
        update(connection, sql.releaseLease, projection, node);
    }

    /** Locks the row for this batch; empty unless the projection is running and this node holds the lease. */
    Optional<Checkpoint> lockForBatch(Connection connection, String projection, String node) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.lockForBatch)) {
            statement.setString(1, node);
            statement.setString(2, projection);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next() || !"RUNNING".equals(row.getString(3)) || !row.getBoolean(4)) {
                    return Optional.empty();
                }
                return Optional.of(new Checkpoint(row.getString(1), row.getLong(2)));
            }
        }
    }

    /** Locks the row for a rebuild, waiting for a batch in flight to commit or roll back. */
    void lockForRebuild(Connection connection, String projection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.lockForRebuild)) {
            statement.setString(1, projection);
            statement.executeQuery().close();
        }
    }

    /** Events after {@code checkpoint} that no running transaction can still precede. */
    List<Read> readBatch(Connection connection, Checkpoint checkpoint, Set<String> aggregateTypes, int limit)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.readBatch(!aggregateTypes.isEmpty()))) {
            int index = 1;
            statement.setString(index++, checkpoint.transactionId());
            statement.setLong(index++, checkpoint.position());
            if (!aggregateTypes.isEmpty()) {
                statement.setArray(index++, connection.createArrayOf("text", aggregateTypes.toArray()));
            }
            statement.setInt(index, limit);
            try (ResultSet rows = statement.executeQuery()) {
                List<Read> events = new ArrayList<>();
                while (rows.next()) {
                    events.add(new Read(EventRowMapper.map(rows), rows.getString(14)));
                }
                return events;
            }
        }
    }

    /** One event and the transaction that wrote it. */
    record Read(PersistedEvent event, String transactionId) {
    }

    void advance(Connection connection, String projection, Checkpoint to, long leaseMillis) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.advance)) {
            statement.setString(1, to.transactionId());
            statement.setLong(2, to.position());
            statement.setLong(3, leaseMillis);
            statement.setString(4, projection);
            statement.executeUpdate();
        }
    }

    /** Counts a failure and parks the projection when it reaches {@code maxFailures}; returns the new state. */
    ProjectionState recordFailure(Connection connection, String projection, String error, Long failedPosition,
                                  int maxFailures) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.recordFailure)) {
            statement.setString(1, error);
            if (failedPosition == null) {
                statement.setNull(2, java.sql.Types.BIGINT);
            } else {
                statement.setLong(2, failedPosition);
            }
            statement.setInt(3, maxFailures);
            statement.setString(4, projection);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return ProjectionState.valueOf(row.getString(1));
            }
        }
    }

    void setState(Connection connection, String projection, ProjectionState state) throws SQLException {
        if (state == ProjectionState.RUNNING) {
            update(connection, sql.resume, projection);
        } else {
            update(connection, sql.setStatus, state.name(), projection);
        }
    }

    void reset(Connection connection, String projection) throws SQLException {
        update(connection, sql.reset, projection);
    }

    ProjectionStatus status(Connection connection, String projection, Set<String> aggregateTypes)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.select)) {
            statement.setString(1, projection);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalArgumentException("No checkpoint for projection '" + projection
                            + "'; register it and start the runtime first");
                }
                String transactionId = row.getString(1);
                long position = row.getLong(2);
                ProjectionState state = ProjectionState.valueOf(row.getString(3));
                int failures = row.getInt(4);
                Optional<String> error = Optional.ofNullable(row.getString(5));
                long failed = row.getLong(6);
                OptionalLong failedPosition = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(failed);
                Optional<String> owner = Optional.ofNullable(row.getString(7));
                Timestamp leaseUntil = row.getTimestamp(8);
                if (leaseUntil != null && leaseUntil.toInstant().isBefore(Instant.now())) {
                    owner = Optional.empty();
                }
                Instant updatedAt = row.getTimestamp(9).toInstant();
                Lag lag = lag(connection, new Checkpoint(transactionId, position), aggregateTypes);
                Horizon horizon = horizon(connection);
                return new ProjectionStatus(projection, state, Long.parseLong(transactionId), position, lag.events(),
                        lag.age(), lag.waiting(), horizon.holder(), horizon.prepared(), failures, error,
                        failedPosition, owner, updatedAt);
            }
        }
    }

    private record Lag(long events, Duration age, long waiting) {
    }

    private Lag lag(Connection connection, Checkpoint checkpoint, Set<String> aggregateTypes) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.lag)) {
            statement.setString(1, checkpoint.transactionId());
            statement.setLong(2, checkpoint.position());
            java.sql.Array types = connection.createArrayOf("text", aggregateTypes.toArray());
            statement.setArray(3, types);
            statement.setArray(4, types);
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

    private static void update(Connection connection, String statementSql, String... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(statementSql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }
}

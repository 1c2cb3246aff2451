package dev.eventstore.postgres.internal;

import dev.eventstore.DuplicateEventIdException;
import dev.eventstore.EventStoreException;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.OptimisticConcurrencyException;

import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed append statement into the store's exceptions. The database has already aborted the transaction in
 * every one of these cases, so nothing of the append is visible and the caller must roll back.
 */
final class AppendFailures {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String CHECK_VIOLATION = "23514";
    private static final String INVALID_TEXT = "22P02";
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK = "40P01";
    private static final Pattern DUPLICATE_KEY = Pattern.compile("\\(event_id\\)=\\(([0-9a-fA-F-]{36})\\)");

    private static final String NO_PARTITION = "no partition of relation";

    private final EventLogSql sql;
    /** A partition's unique index on the stream version, on the partitioned layout; never matches on the plain one. */
    private final Pattern partitionStreamVersionIndex;

    AppendFailures(EventLogSql sql) {
        this.sql = sql;
        this.partitionStreamVersionIndex = PartitionSql.streamVersionIndex(sql.config().eventsTable());
    }

    RuntimeException translate(SQLException failure, String aggregateType, String aggregateId,
                               ExpectedVersion expected) {
        String state = failure.getSQLState();
        String message = String.valueOf(failure.getMessage());
        if (UNIQUE_VIOLATION.equals(state) && message.contains(sql.eventIdConstraint())) {
            return new DuplicateEventIdException(duplicateId(message), failure);
        }
        if (UNIQUE_VIOLATION.equals(state) && (message.contains(sql.streamVersionConstraint())
                || sql.partitions().isPresent() && partitionStreamVersionIndex.matcher(message).find())) {
            return new OptimisticConcurrencyException(aggregateType, aggregateId, expected, OptionalLong.empty(),
                    "a concurrent append took the same version; the unique constraint on (aggregate_type,"
                            + " aggregate_id, aggregate_version) rejected this one", failure);
        }
        if (SERIALIZATION_FAILURE.equals(state) || DEADLOCK.equals(state)) {
            return new OptimisticConcurrencyException(aggregateType, aggregateId, expected, OptionalLong.empty(),
                    "the database aborted the transaction because of concurrent access (SQLState " + state + ")",
                    failure);
        }
        if (CHECK_VIOLATION.equals(state) && message.contains(NO_PARTITION)) {
            String function = sql.config().eventsTable().toString() + "_create_partitions";
            return new EventStoreException("Append to " + aggregateType + "/" + aggregateId + " failed: the"
                    + " partitioned events table " + sql.config().eventsTable() + " has no partition for the next"
                    + " global position (" + message + "). Create partitions ahead with SELECT " + function + "(2)"
                    + " or PostgresEventStore.createPartitionsAhead, and schedule it so the log never reaches the"
                    + " last partition. Nothing was written; roll back the transaction.", failure);
        }
        if (CHECK_VIOLATION.equals(state) || INVALID_TEXT.equals(state)) {
            return new IllegalArgumentException("Append to " + aggregateType + "/" + aggregateId
                    + " rejected by the database, check metadata (a JSON object) and payload: " + message
                    + ". Nothing was written; roll back the transaction.", failure);
        }
        return new EventStoreException("Append to " + aggregateType + "/" + aggregateId + " failed (SQLState " + state
                + "): " + message + ". Nothing was written; roll back the transaction.", failure);
    }

    private static UUID duplicateId(String message) {
        Matcher matcher = DUPLICATE_KEY.matcher(message);
        return matcher.find() ? UUID.fromString(matcher.group(1)) : null;
    }
}

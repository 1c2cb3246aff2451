package dev.eventstore.postgres.internal;

import dev.eventstore.AggregateStream;
import dev.eventstore.AppendResult;
import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.EventStoreException;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.PersistedEvent;
import dev.eventstore.VersionRange;
import dev.eventstore.internal.StorableText;
import dev.eventstore.postgres.spi.AppendListener;
import dev.eventstore.postgres.spi.ConnectionAccess;
import dev.eventstore.query.EventQuery;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/** The {@link EventStore} on PostgreSQL through plain JDBC, inside whatever transaction {@link ConnectionAccess} gives. */
public final class JdbcEventStore implements EventStore {

    private final EventLogSql sql;
    private final ConnectionAccess access;
    private final AppendFailures failures;
    private final AppendListener listener;
    private final EventQuerySql querySql;

    public JdbcEventStore(EventLogSql sql, ConnectionAccess access, AppendListener listener) {
        this.sql = Objects.requireNonNull(sql, "sql");
        this.access = Objects.requireNonNull(access, "access");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.failures = new AppendFailures(sql);
        this.querySql = new EventQuerySql(sql);
    }

    @Override
    public AppendResult append(ExpectedVersion expected, List<Event> events) {
        if (expected == null) {
            throw new IllegalArgumentException("expectedVersion must not be null; use ExpectedVersion.any() to skip"
                    + " the check");
        }
        Event first = validateBatch(events);
        AppendResult result;
        try {
            result = access.withConnection(connection -> append(connection, expected, first, events));
        } catch (SQLException e) {
            throw failures.translate(e, first.aggregateType(), first.aggregateId(), expected);
        }
        listener.afterAppend(result);
        return result;
    }

    private AppendResult append(Connection connection, ExpectedVersion expected, Event first, List<Event> events)
            throws SQLException {
        int size = events.size();
        String statement = sql.appendStatement(expected, size);
        List<PersistedEvent> written = new ArrayList<>(size);
        try (PreparedStatement insert = connection.prepareStatement(statement)) {
            int index = bindLock(insert, expected, first);
            index = bindHead(insert, index, expected, first, size);
            index = switch (EventLogSql.Shape.of(size)) {
                case ONE -> bindEvent(insert, index, first);
                case ROWS -> bindRows(insert, index, first, events);
                case ARRAYS -> bindEvents(connection, insert, index, first, events);
            };
            if (sql.config().notifyChannel().isPresent()) {
                insert.setString(index++, sql.config().notifyChannel().get().name());
                insert.setString(index, first.aggregateType());
            }
            // Two statements in one round trip: the advisory lock's (empty) result, then the appended rows.
            insert.execute();
            if (!insert.getMoreResults()) {
                throw new SQLException("the append statement returned no rows result after the aggregate lock");
            }
            try (ResultSet rows = insert.getResultSet()) {
                int i = 0;
                while (rows.next()) {
                    Event event = events.get(i++);
                    Event stored = withMetadata(event, rows.getString(3));
                    written.add(new PersistedEvent(stored, rows.getLong(1), rows.getLong(2)));
                }
            }
        }
        if (written.isEmpty()) {
            throw conflict(connection, expected, first);
        }
        long toVersion = written.get(written.size() - 1).aggregateVersion();
        return new AppendResult(first.aggregateType(), first.aggregateId(), toVersion - written.size(), toVersion,
                written);
    }

    private static int bindLock(PreparedStatement insert, ExpectedVersion expected, Event first)
            throws SQLException {
        int index = 1;
        insert.setString(index++, EventLogSql.lockKey(first.aggregateType(), first.aggregateId()));
        if (!expected.isAny()) {
            insert.setString(index++, first.aggregateType());
            insert.setString(index++, first.aggregateId());
            insert.setLong(index++, expected.isNoStream() ? 0 : expected.version());
        }
        return index;
    }

    private static int bindHead(PreparedStatement insert, int firstIndex, ExpectedVersion expected, Event first,
                                int count) throws SQLException {
        int index = firstIndex;
        if (expected.isAny() || expected.isNoStream()) {
            insert.setString(index++, first.aggregateType());
            insert.setString(index++, first.aggregateId());
            insert.setLong(index++, count);
        } else {
            insert.setLong(index++, count);
            insert.setString(index++, first.aggregateType());
            insert.setString(index++, first.aggregateId());
            insert.setLong(index++, expected.version());
        }
        return index;
    }

    /** The single-event statement's parameters, in the order of the batch statement's arrays. */
    private static int bindEvent(PreparedStatement insert, int index, Event event) throws SQLException {
        insert.setString(index++, event.aggregateType());
        insert.setString(index++, event.aggregateId());
        return bindFields(insert, index, event);
    }

    /** A small batch's parameters: the aggregate and the batch size, then each event's fields as one VALUES row. */
    private static int bindRows(PreparedStatement insert, int index, Event first, List<Event> events)
            throws SQLException {
        insert.setString(index++, first.aggregateType());
        insert.setString(index++, first.aggregateId());
        insert.setLong(index++, events.size());
        for (Event event : events) {
            index = bindFields(insert, index, event);
        }
        return index;
    }

    /** One event's ten fields, in the order of the batch statement's arrays. */
    private static int bindFields(PreparedStatement insert, int index, Event event) throws SQLException {
        insert.setObject(index++, event.eventId());
        insert.setString(index++, event.eventType());
        insert.setInt(index++, event.eventVersion());
        insert.setBytes(index++, event.payload());
        insert.setString(index++, event.metadataAsString());
        insert.setString(index++, event.traceId());
        insert.setString(index++, event.correlationId());
        insert.setString(index++, event.causationId());
        insert.setString(index++, event.createdAt().toString());
        insert.setString(index++, event.topic());
        return index;
    }

    private static int bindEvents(Connection connection, PreparedStatement insert, int index, Event first,
                                  List<Event> events) throws SQLException {
        int size = events.size();
        UUID[] ids = new UUID[size];
        String[] types = new String[size];
        Integer[] versions = new Integer[size];
        byte[][] payloads = new byte[size][];
        String[] metadata = new String[size];
        String[] traceIds = new String[size];
        String[] correlationIds = new String[size];
        String[] causationIds = new String[size];
        String[] createdAt = new String[size];
        String[] topics = new String[size];
        for (int i = 0; i < size; i++) {
            Event event = events.get(i);
            ids[i] = event.eventId();
            types[i] = event.eventType();
            versions[i] = event.eventVersion();
            payloads[i] = event.payload();
            metadata[i] = event.metadataAsString();
            traceIds[i] = event.traceId();
            correlationIds[i] = event.correlationId();
            causationIds[i] = event.causationId();
            createdAt[i] = event.createdAt().toString();
            topics[i] = event.topic();
        }
        insert.setString(index++, first.aggregateType());
        insert.setString(index++, first.aggregateId());
        insert.setLong(index++, size);
        insert.setArray(index++, connection.createArrayOf("uuid", ids));
        insert.setArray(index++, connection.createArrayOf("text", types));
        insert.setArray(index++, connection.createArrayOf("int4", versions));
        insert.setArray(index++, connection.createArrayOf("bytea", payloads));
        insert.setArray(index++, connection.createArrayOf("text", metadata));
        insert.setArray(index++, connection.createArrayOf("text", traceIds));
        insert.setArray(index++, connection.createArrayOf("text", correlationIds));
        insert.setArray(index++, connection.createArrayOf("text", causationIds));
        insert.setArray(index++, connection.createArrayOf("text", createdAt));
        insert.setArray(index++, connection.createArrayOf("text", topics));
        return index;
    }

    /** The row came back with metadata as PostgreSQL normalised it, so the result equals what a later read returns. */
    private static Event withMetadata(Event event, String storedMetadata) {
        if (storedMetadata.equals(event.metadataAsString())) {
            return event; // already in PostgreSQL's form, as empty metadata always is
        }
        return new Event(event.aggregateType(), event.aggregateId(), event.eventId(), event.eventType(),
                event.eventVersion(), event.payload(), storedMetadata.getBytes(StandardCharsets.UTF_8),
                event.createdAt(), event.traceId(), event.correlationId(), event.causationId(), event.topic());
    }

    /** Nothing was written and the transaction is still usable: find out why, for an actionable message. */
    private OptimisticConcurrencyException conflict(Connection connection, ExpectedVersion expected, Event first)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql.headState)) {
            query.setString(1, first.aggregateType());
            query.setString(2, first.aggregateId());
            try (ResultSet row = query.executeQuery()) {
                long actual = row.next() ? row.getLong(1) : 0;
                if (actual > 0 && expected.accepts(actual) && row.getBoolean(2)) {
                    return new OptimisticConcurrencyException(first.aggregateType(), first.aggregateId(), expected,
                            OptionalLong.of(actual), transactionOrderReason(row.getString(4), row.getString(3)),
                            null);
                }
                return new OptimisticConcurrencyException(first.aggregateType(), first.aggregateId(), expected,
                        actual);
            }
        }
    }

    /**
     * The advisory lock makes transaction ids follow lock order, so the guard refuses only a transaction that already
     * held an id when it appended: one that had written before.
     */
    private static String transactionOrderReason(String thisTransaction, String newerTransaction) {
        return "this transaction (id " + thisTransaction + ") had already written before this append, and a newer"
                + " transaction (id " + newerTransaction + ") that started writing after it has since appended to the"
                + " aggregate and committed; appending now would place these events before that transaction's in"
                + " transaction-id order, the order gap-aware projections read in. The conflict is retryable: roll"
                + " back and run the whole transaction again. To avoid it, append before the transaction's other"
                + " writes (for example before JPA changes) or append to one aggregate per transaction";
    }

    private static Event validateBatch(List<Event> events) {
        if (events == null || events.isEmpty()) {
            throw new IllegalArgumentException("events must not be empty: an append writes at least one event");
        }
        Event first = events.get(0);
        if (first == null) {
            throw new IllegalArgumentException("events must not contain null (index 0)");
        }
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            if (event == null) {
                throw new IllegalArgumentException("events must not contain null (index " + i + ")");
            }
            if (!event.aggregateType().equals(first.aggregateType())
                    || !event.aggregateId().equals(first.aggregateId())) {
                throw new IllegalArgumentException("events must all belong to one aggregate: index 0 is "
                        + first.aggregateType() + "/" + first.aggregateId() + ", index " + i + " is "
                        + event.aggregateType() + "/" + event.aggregateId() + "; append each aggregate separately");
            }
            if (!ids.add(event.eventId())) {
                throw new IllegalArgumentException("events must have distinct eventIds: " + event.eventId()
                        + " appears twice in the batch (index " + i + ")");
            }
        }
        return first;
    }

    @Override
    public AggregateStream readAggregateStream(String aggregateType, String aggregateId, VersionRange versions) {
        requireStorable(aggregateType, "aggregateType");
        requireStorable(aggregateId, "aggregateId");
        if (versions == null) {
            throw new IllegalArgumentException("versions must not be null; use VersionRange.all()");
        }
        if (versions.isEmpty()) {
            return new AggregateStream(aggregateType, aggregateId, nothing());
        }
        List<PersistedEvent> events = query("read stream " + aggregateType + "/" + aggregateId, sql.readStream,
                statement -> {
                    statement.setString(1, aggregateType);
                    statement.setString(2, aggregateId);
                    statement.setLong(3, versions.from());
                    statement.setLong(4, versions.to());
                });
        return new AggregateStream(aggregateType, aggregateId, events);
    }

    @Override
    public List<PersistedEvent> readEvents(long afterPosition, int limit) {
        if (afterPosition < 0) {
            throw new IllegalArgumentException("afterPosition must be >= 0 (0 reads from the start), was "
                    + afterPosition);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0 reads nothing), was " + limit);
        }
        if (limit == 0) {
            return nothing();
        }
        return List.copyOf(query("read events after position " + afterPosition, sql.readAfterPosition, statement -> {
            statement.setLong(1, afterPosition);
            statement.setInt(2, limit);
        }));
    }

    @Override
    public long latestGlobalPosition() {
        try {
            return access.withConnection(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql.latestPosition);
                     ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            });
        } catch (SQLException e) {
            throw new EventStoreException("Reading the latest global position failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<PersistedEvent> query(EventQuery query) {
        requireQuery(query);
        if (query.limit() > MAX_QUERY_LIMIT) {
            throw new IllegalArgumentException("limit must be <= " + MAX_QUERY_LIMIT + " for query(), was "
                    + query.limit() + "; use stream() for larger results or page with continueAfter()");
        }
        EventQuerySql.Bound bound = querySql.select(query, true);
        try {
            return List.copyOf(access.withConnection(connection -> {
                try (PreparedStatement statement = bound.prepare(connection);
                     ResultSet rows = statement.executeQuery()) {
                    return EventRows.mapAll(rows);
                }
            }));
        } catch (SQLException e) {
            throw queryFailure("query " + query, e);
        }
    }

    @Override
    public long count(EventQuery query) {
        requireQuery(query);
        EventQuerySql.Bound bound = querySql.count(query);
        try {
            return access.withConnection(connection -> {
                try (PreparedStatement statement = bound.prepare(connection);
                     ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            });
        } catch (SQLException e) {
            throw queryFailure("count " + query, e);
        }
    }

    /**
     * The PostgreSQL driver reads through a cursor (a fetch of {@value #STREAM_FETCH_SIZE} rows at a time) only with
     * auto-commit off and a fetch size set; otherwise it would load every row first. So auto-commit is refused rather
     * than risking the heap on a large result.
     */
    @Override
    public Stream<PersistedEvent> stream(EventQuery query) {
        requireQuery(query);
        EventQuerySql.Bound bound = querySql.select(query, query.hasExplicitLimit());
        String description = "stream " + query;
        ConnectionAccess.Lease lease = null;
        PreparedStatement statement = null;
        try {
            lease = access.lease();
            Connection connection = lease.connection();
            if (connection.getAutoCommit()) {
                throw new IllegalStateException("stream() needs a transaction: the connection is in auto-commit"
                        + " mode, where PostgreSQL cannot keep a cursor open. Call it inside a JTA transaction or"
                        + " after connection.setAutoCommit(false), or page with query() and continueAfter().");
            }
            statement = connection.prepareStatement(bound.sql(), ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY);
            bound.bind(connection, statement);
            statement.setFetchSize(STREAM_FETCH_SIZE);
            return EventCursor.stream(lease, statement, statement.executeQuery(), description);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(statement, e);
            closeQuietly(lease, e);
            if (e instanceof SQLException sqlFailure) {
                throw queryFailure(description, sqlFailure);
            }
            throw (RuntimeException) e;
        }
    }

    /** Rows per round trip of a stream: small enough for constant memory, large enough to amortise latency. */
    static final int STREAM_FETCH_SIZE = 500;

    private static void closeQuietly(AutoCloseable resource, Exception primary) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            primary.addSuppressed(e);
        }
    }

    private static void requireQuery(EventQuery query) {
        if (query == null) {
            throw new IllegalArgumentException("query must not be null; use EventQuery.all() for every event");
        }
    }

    /** Invalid JSON in metadataContains is the one value the database can reject: report it as bad input. */
    static RuntimeException queryFailure(String what, SQLException e) {
        if ("22P02".equals(e.getSQLState())) {
            return new IllegalArgumentException("metadataContains must be valid JSON; the database rejected " + what
                    + ": " + e.getMessage(), e);
        }
        return new EventStoreException("Failed to " + what + ": " + e.getMessage(), e);
    }

    private List<PersistedEvent> query(String what, String statementSql, Binder binder) {
        try {
            return access.withConnection(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(statementSql)) {
                    binder.bind(statement);
                    try (ResultSet rows = statement.executeQuery()) {
                        return EventRows.mapAll(rows);
                    }
                }
            });
        } catch (SQLException e) {
            throw new EventStoreException("Failed to " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * The answer to a read that can match nothing, given without a statement but under the same rule as every read:
     * in a container that is an active transaction, so a missing one shows on the first call, not the first non-empty.
     */
    private List<PersistedEvent> nothing() {
        try {
            return access.withConnection(connection -> List.of());
        } catch (SQLException e) {
            throw new EventStoreException("Failed to obtain a connection: " + e.getMessage(), e);
        }
    }

    /** Text no stored stream can hold would otherwise reach the database altered and match another stream. */
    private static void requireStorable(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        StorableText.require(value, field);
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }
}

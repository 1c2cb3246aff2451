package dev.eventstore.postgres.internal;

import dev.eventstore.query.EventQuery;
import dev.eventstore.query.EventTypePattern;
import dev.eventstore.query.TopicPattern;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of queries, counts and retention deletes on the events table. The statement text depends only on which
 * filters are present (a fixed fragment each) and the validated table name; every value is a bind parameter.
 *
 * <p>Exact event-type names go to {@code event_type = ANY(?)}, which the {@code (event_type, global_position)} index
 * serves; patterns go to {@code event_type ~ ANY(?)} as escaped regular expressions ({@link EventTypeRegex}), which
 * PostgreSQL evaluates per row of whatever the other filters leave. Topics work the same way on the {@code topic}
 * column and its {@code (topic, global_position)} index; the topic condition is ANDed with the type condition, and
 * a row without a topic (NULL) matches no topic condition. Metadata containment uses {@code @>}, served by
 * the GIN {@code jsonb_path_ops} index.
 */
final class EventQuerySql {

    private final String events;
    private final String eventsName;
    /** On the partitioned layout, the event-id side table's lookup of a position; {@code null} on the plain one. */
    private final String eventIdLookup;

    EventQuerySql(EventLogSql sql) {
        this.events = sql.config().eventsTable().sql();
        this.eventsName = sql.config().eventsTable().toString();
        this.eventIdLookup = sql.partitions().map(partitions -> partitions.eventIdLookup).orElse(null);
    }

    /** The events table's name, for messages. */
    String eventsTable() {
        return eventsName;
    }

    /** A statement and its parameters, in order. */
    record Bound(String sql, List<Object> parameters) {

        PreparedStatement prepare(Connection connection) throws SQLException {
            PreparedStatement statement = connection.prepareStatement(sql);
            try {
                bind(connection, statement);
                return statement;
            } catch (SQLException | RuntimeException e) {
                statement.close();
                throw e;
            }
        }

        void bind(Connection connection, PreparedStatement statement) throws SQLException {
            int index = 1;
            for (Object value : parameters) {
                if (value instanceof String text) {
                    statement.setString(index++, text);
                } else if (value instanceof Long number) {
                    statement.setLong(index++, number);
                } else if (value instanceof Integer number) {
                    statement.setInt(index++, number);
                } else if (value instanceof Instant instant) {
                    statement.setObject(index++, timestamp(instant));
                } else if (value instanceof java.util.UUID uuid) {
                    statement.setObject(index++, uuid);
                } else if (value instanceof String[] texts) {
                    statement.setArray(index++, connection.createArrayOf("text", texts));
                } else {
                    throw new IllegalStateException("unsupported parameter type " + value.getClass());
                }
            }
        }
    }

    /** PostgreSQL's {@code timestamptz} range: 4714-11-24 BC to the end of 294276 AD (ISO years -4713 and 294276). */
    private static final Instant EARLIEST_TIMESTAMP = Instant.parse("-4713-11-24T00:00:00Z");
    private static final Instant AFTER_LATEST_TIMESTAMP = Instant.parse("+294277-01-01T00:00:00Z");

    /**
     * A time bound as PostgreSQL takes it. Beyond its range (Instant.MIN and MAX are far beyond) a bound compares like
     * {@code -infinity} or {@code infinity}, which the driver sends for OffsetDateTime.MIN and MAX: before or after
     * every stored time, so the filter matches everything or nothing, exactly as the instant itself would.
     */
    static OffsetDateTime timestamp(Instant instant) {
        if (instant.isBefore(EARLIEST_TIMESTAMP)) {
            return OffsetDateTime.MIN;
        }
        if (!instant.isBefore(AFTER_LATEST_TIMESTAMP)) {
            return OffsetDateTime.MAX;
        }
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** The page or stream of events {@code query} selects; the limit only when {@code applyLimit}. */
    Bound select(EventQuery query, boolean applyLimit) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(EventLogSql.EVENT_COLUMNS).append(" FROM ")
                .append(events);
        where(sql, parameters, EventFilter.of(query), eventIdLookup);
        String comparison = query.isDescending() ? " < " : " > ";
        String direction = query.isDescending() ? " DESC" : " ASC";
        boolean byPosition = query.orderBy() == EventQuery.OrderBy.GLOBAL_POSITION;
        if (query.afterPosition().isPresent()) {
            if (byPosition) {
                sql.append(" AND global_position").append(comparison).append('?');
            } else {
                sql.append(" AND (created_at, global_position)").append(comparison).append("(?, ?)");
                parameters.add(query.afterCreatedAt().orElseThrow());
            }
            parameters.add(query.afterPosition().getAsLong());
        }
        sql.append(byPosition ? " ORDER BY global_position" + direction
                : " ORDER BY created_at" + direction + ", global_position" + direction);
        if (applyLimit) {
            sql.append(" LIMIT ?");
            parameters.add((long) query.limit());
        }
        if (query.offset() > 0) {
            sql.append(" OFFSET ?");
            parameters.add(query.offset());
        }
        return new Bound(sql.toString(), parameters);
    }

    /** How many events match the filters of {@code query}, ignoring its paging. */
    Bound count(EventQuery query) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM ").append(events);
        where(sql, parameters, EventFilter.of(query), eventIdLookup);
        return new Bound(sql.toString(), parameters);
    }

    /**
     * Deletes at most {@code batchSize} events matching {@code filter}. The sub-select keeps each statement short;
     * {@code SKIP LOCKED} lets two retention runs share the work instead of waiting on each other.
     */
    Bound deleteBatch(EventFilter filter, int batchSize) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(events)
                .append(" WHERE global_position IN (SELECT global_position FROM ").append(events);
        where(sql, parameters, filter, eventIdLookup);
        sql.append(" LIMIT ? FOR UPDATE SKIP LOCKED)");
        parameters.add(batchSize);
        return new Bound(sql.toString(), parameters);
    }

    /** {@code column} equals one of {@code names} or matches one of the regular expressions in {@code patterns}. */
    private static void anyOf(StringBuilder sql, List<Object> parameters, String column, List<String> names,
                              List<String> patterns) {
        if (!names.isEmpty() && !patterns.isEmpty()) {
            sql.append(" AND (").append(column).append(" = ANY(?::text[]) OR ").append(column)
                    .append(" ~ ANY(?::text[]))");
            parameters.add(names.toArray(String[]::new));
            parameters.add(patterns.toArray(String[]::new));
        } else if (!names.isEmpty()) {
            sql.append(" AND ").append(column).append(" = ANY(?::text[])");
            parameters.add(names.toArray(String[]::new));
        } else if (!patterns.isEmpty()) {
            sql.append(" AND ").append(column).append(" ~ ANY(?::text[])");
            parameters.add(patterns.toArray(String[]::new));
        }
    }

    private static void where(StringBuilder sql, List<Object> parameters, EventFilter filter, String eventIdLookup) {
        sql.append(" WHERE TRUE");
        List<String> typeNames = new ArrayList<>();
        List<String> typePatterns = new ArrayList<>();
        for (EventTypePattern type : filter.eventTypes()) {
            if (type.isWildcard()) {
                typePatterns.add(EventTypeRegex.of(type));
            } else {
                typeNames.add(type.value());
            }
        }
        anyOf(sql, parameters, "event_type", typeNames, typePatterns);
        List<String> topicNames = new ArrayList<>();
        List<String> topicPatterns = new ArrayList<>();
        for (TopicPattern topic : filter.topics()) {
            if (topic.isWildcard()) {
                topicPatterns.add(EventTypeRegex.of(topic));
            } else {
                topicNames.add(topic.value());
            }
        }
        anyOf(sql, parameters, "topic", topicNames, topicPatterns);
        if (!filter.aggregateTypes().isEmpty()) {
            sql.append(" AND aggregate_type = ANY(?::text[])");
            parameters.add(filter.aggregateTypes().toArray(String[]::new));
        }
        if (filter.aggregateId() != null) {
            sql.append(" AND aggregate_id = ?");
            parameters.add(filter.aggregateId());
        }
        if (filter.createdFrom() != null) {
            sql.append(" AND created_at >= ?");
            parameters.add(filter.createdFrom());
        }
        if (filter.createdBefore() != null) {
            sql.append(" AND created_at < ?");
            parameters.add(filter.createdBefore());
        }
        if (filter.metadataContains() != null) {
            sql.append(" AND metadata @> ?::jsonb");
            parameters.add(filter.metadataContains());
        }
        if (filter.positionFrom() != null) {
            sql.append(" AND global_position >= ?");
            parameters.add(filter.positionFrom());
        }
        if (filter.positionTo() != null) {
            sql.append(" AND global_position <= ?");
            parameters.add(filter.positionTo());
        }
        if (filter.eventId() != null) {
            if (eventIdLookup != null) {
                // A partitioned log has no event_id index of its own: the side table finds the one position.
                sql.append(" AND global_position = ").append(eventIdLookup);
                parameters.add(filter.eventId());
            }
            sql.append(" AND event_id = ?");
            parameters.add(filter.eventId());
        }
        if (filter.correlationId() != null) {
            sql.append(" AND correlation_id = ?");
            parameters.add(filter.correlationId());
        }
        if (filter.causationId() != null) {
            sql.append(" AND causation_id = ?");
            parameters.add(filter.causationId());
        }
    }
}

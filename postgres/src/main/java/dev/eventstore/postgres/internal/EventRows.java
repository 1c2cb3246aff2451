package dev.eventstore.postgres.internal;

import dev.eventstore.Event;
import dev.eventstore.PersistedEvent;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Maps rows selected with {@link EventLogSql#EVENT_COLUMNS} or {@link EventRowMapper#COLUMNS} to
 * {@link PersistedEvent}s: the first thirteen columns by position, the topic by name.
 */
final class EventRows {

    private EventRows() {
    }

    static PersistedEvent map(ResultSet row) throws SQLException {
        Event event = new Event(
                row.getString(2),
                row.getString(3),
                row.getObject(5, UUID.class),
                row.getString(6),
                row.getInt(7),
                row.getBytes(8),
                row.getString(9).getBytes(StandardCharsets.UTF_8),
                row.getObject(13, OffsetDateTime.class).toInstant(),
                row.getString(10),
                row.getString(11),
                row.getString(12),
                row.getString("topic"));
        return new PersistedEvent(event, row.getLong(4), row.getLong(1));
    }

    static List<PersistedEvent> mapAll(ResultSet rows) throws SQLException {
        List<PersistedEvent> events = new ArrayList<>();
        while (rows.next()) {
            events.add(map(rows));
        }
        return events;
    }
}

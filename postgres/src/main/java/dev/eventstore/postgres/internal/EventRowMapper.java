package dev.eventstore.postgres.internal;

import dev.eventstore.PersistedEvent;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Public door to the row mapping of {@link EventLogSql#EVENT_COLUMNS}, for readers in other internal packages. */
public final class EventRowMapper {

    /** The columns every event read selects, in the order {@link #map(ResultSet)} expects them. */
    public static final String COLUMNS = EventLogSql.EVENT_COLUMNS;

    private EventRowMapper() {
    }

    public static PersistedEvent map(ResultSet row) throws SQLException {
        return EventRows.map(row);
    }
}

package dev.eventstore.postgres.internal;

import dev.eventstore.PersistedEvent;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Public door to the row mapping of {@link EventLogSql#EVENT_COLUMNS}, for readers in other internal packages. */
public final class EventRowMapper {

    /**
     * The columns an event read selects for {@link #map(ResultSet)}: thirteen mapped by position, then the writing
     * transaction id as text (column 14, {@code writer_transaction_id}, which gap-aware readers take by that
     * position), then the topic, mapped by its name. The topic came after readers already took column 14.
     */
    public static final String COLUMNS = EventLogSql.BASE_COLUMNS
            + ", transaction_id::text AS writer_transaction_id, topic";

    private EventRowMapper() {
    }

    public static PersistedEvent map(ResultSet row) throws SQLException {
        return EventRows.map(row);
    }
}

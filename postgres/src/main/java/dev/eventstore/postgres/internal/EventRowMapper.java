package dev.eventstore.postgres.internal;

import dev.eventstore.PersistedEvent;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Public door to the row mapping of {@link EventLogSql#EVENT_COLUMNS}, for readers in other internal packages. */
public final class EventRowMapper {

    /** Label of the writing transaction id, as text, in {@link #COLUMNS}: what gap-aware readers checkpoint. */
    public static final String WRITER_TRANSACTION_ID = "writer_transaction_id";

    /**
     * The columns a gap-aware read selects: those {@link #map(ResultSet)} maps, then the writing transaction id as
     * text, labelled {@link #WRITER_TRANSACTION_ID}. (A column called {@code transaction_id} would be what
     * {@code ORDER BY transaction_id} sorts by, as text, where "1000000" &lt; "999999".)
     */
    public static final String COLUMNS = EventLogSql.EVENT_COLUMNS
            + ", transaction_id::text AS " + WRITER_TRANSACTION_ID;

    private EventRowMapper() {
    }

    public static PersistedEvent map(ResultSet row) throws SQLException {
        return EventRows.map(row);
    }
}

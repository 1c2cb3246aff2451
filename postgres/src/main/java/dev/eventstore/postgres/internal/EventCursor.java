package dev.eventstore.postgres.internal;

import dev.eventstore.EventStoreException;
import dev.eventstore.PersistedEvent;
import dev.eventstore.postgres.spi.ConnectionAccess;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The rows of an open server-side cursor as a {@link Stream}: rows arrive from the driver a fetch at a time, and
 * closing the stream closes the result set, the statement and the connection lease, in that order.
 */
final class EventCursor extends Spliterators.AbstractSpliterator<PersistedEvent> implements AutoCloseable {

    private final ConnectionAccess.Lease lease;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final String description;
    private boolean closed;

    private EventCursor(ConnectionAccess.Lease lease, PreparedStatement statement, ResultSet rows,
                        String description) {
        super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
        this.lease = lease;
        this.statement = statement;
        this.rows = rows;
        this.description = description;
    }

    static Stream<PersistedEvent> stream(ConnectionAccess.Lease lease, PreparedStatement statement, ResultSet rows,
                                         String description) {
        EventCursor cursor = new EventCursor(lease, statement, rows, description);
        return StreamSupport.stream(cursor, false).onClose(cursor::close);
    }

    @Override
    public boolean tryAdvance(Consumer<? super PersistedEvent> action) {
        if (closed) {
            throw new IllegalStateException("The event stream of " + description + " is closed");
        }
        try {
            if (!rows.next()) {
                return false;
            }
            action.accept(EventRows.map(rows));
            return true;
        } catch (SQLException e) {
            throw new EventStoreException("Reading the next event of " + description + " failed: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        SQLException failure = null;
        for (AutoCloseable resource : new AutoCloseable[] {rows, statement, lease}) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof SQLException sql ? sql : new SQLException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw new EventStoreException("Closing the event stream of " + description + " failed: "
                    + failure.getMessage(), failure);
        }
    }
}

package dev.eventstore.testing;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A listening connection and what it received: how the tests observe the store's {@code pg_notify}. */
public final class Notifications {

    private Notifications() {
    }

    /** A new connection of the schema's database that listens on the channel. */
    public static Connection listen(TestSchema schema, String channel) throws SQLException {
        Connection listener = schema.connect();
        try (Statement statement = listener.createStatement()) {
            statement.execute("LISTEN " + channel);
        }
        return listener;
    }

    /**
     * Everything that arrives within {@code firstWaitMillis}, and whatever follows until 200 ms pass in silence: an
     * empty list means nothing came in the first wait.
     */
    public static List<PGNotification> receive(Connection listener, int firstWaitMillis) throws SQLException {
        PGConnection pg = listener.unwrap(PGConnection.class);
        List<PGNotification> received = new ArrayList<>();
        PGNotification[] batch = pg.getNotifications(firstWaitMillis);
        while (batch != null && batch.length > 0) {
            received.addAll(List.of(batch));
            batch = pg.getNotifications(200);
        }
        return received;
    }

    /** The payloads of {@link #receive}. */
    public static List<String> payloads(Connection listener, int firstWaitMillis) throws SQLException {
        return receive(listener, firstWaitMillis).stream().map(PGNotification::getParameter).toList();
    }
}

package dev.eventstore.async.internal;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Listens on the store's notification channel on a dedicated connection and wakes the runtime when an append
 * commits. When the connection dies (database restart, terminated backend) it reconnects and wakes the runtime once,
 * so nothing announced meanwhile waits for the next poll.
 */
final class WakeUpListener implements Runnable {

    private static final System.Logger LOG = System.getLogger(WakeUpListener.class.getName());

    private final DataSource dataSource;
    private final String channel;
    private final String applicationName;
    private final Runnable wakeUp;
    private final Duration reconnectDelay;
    private volatile boolean running = true;

    WakeUpListener(DataSource dataSource, String channel, String applicationName, Runnable wakeUp,
                   Duration reconnectDelay) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.applicationName = applicationName;
        this.wakeUp = wakeUp;
        this.reconnectDelay = reconnectDelay;
    }

    /**
     * Whether the PostgreSQL driver's API is visible to this library. In WildFly the driver lives in a module the
     * deployment may not see; the runtime then relies on polling.
     */
    static boolean available() {
        try {
            Class.forName("org.postgresql.PGConnection", false, WakeUpListener.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.log(System.Logger.Level.INFO, "PostgreSQL driver API not visible; projections poll instead of"
                    + " listening for notifications");
            return false;
        }
    }

    @Override
    public void run() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (PreparedStatement name = connection.prepareStatement("SELECT set_config('application_name', ?,"
                        + " false)"); Statement listen = connection.createStatement()) {
                    name.setString(1, applicationName);
                    name.execute();
                    // channel is a validated SqlName identifier
                    listen.execute("LISTEN \"" + channel + "\"");
                }
                wakeUp.run();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null && notifications.length > 0) {
                        wakeUp.run();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.log(System.Logger.Level.WARNING, "Listener on channel " + channel + " lost its connection ("
                            + e.getMessage() + "); reconnecting in " + reconnectDelay.toMillis() + " ms");
                    sleep();
                }
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(reconnectDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    void stop() {
        running = false;
    }
}

package dev.eventstore.async.internal;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Listens on the store's notification channel on a dedicated connection and wakes the runtime when an append
 * commits. When the connection dies (database restart, terminated backend) it reconnects and wakes the runtime once,
 * so nothing announced meanwhile waits for the next poll. When the driver's notification API is out of reach it
 * reports why once and ends: the runtime then polls.
 */
final class WakeUpListener implements Runnable {

    private static final System.Logger LOG = System.getLogger(WakeUpListener.class.getName());

    private final DataSource dataSource;
    private final String channel;
    private final String applicationName;
    private final Runnable wakeUp;
    private final Duration reconnectDelay;
    private final Consumer<String> cannotListen;
    private volatile boolean running = true;
    private volatile boolean listening;

    /**
     * @param cannotListen told once, with the reason, when notifications cannot be received on this server
     */
    WakeUpListener(DataSource dataSource, String channel, String applicationName, Runnable wakeUp,
                   Duration reconnectDelay, Consumer<String> cannotListen) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.applicationName = applicationName;
        this.wakeUp = wakeUp;
        this.reconnectDelay = reconnectDelay;
        this.cannotListen = cannotListen;
    }

    /** Whether the listener is connected and listening now. */
    boolean listening() {
        return listening;
    }

    @Override
    public void run() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                DriverNotifications notifications;
                try {
                    notifications = DriverNotifications.of(connection);
                } catch (DriverNotifications.Unavailable e) {
                    running = false;
                    cannotListen.accept(e.getMessage());
                    return;
                }
                try (PreparedStatement name = connection.prepareStatement("SELECT set_config('application_name', ?,"
                        + " false)"); Statement listen = connection.createStatement()) {
                    name.setString(1, applicationName);
                    name.execute();
                    // channel is a validated SqlName identifier
                    listen.execute("LISTEN \"" + channel + "\"");
                }
                listening = true;
                wakeUp.run();
                while (running) {
                    if (notifications.await(500)) {
                        wakeUp.run();
                    }
                }
            } catch (SQLException e) {
                listening = false;
                if (running) {
                    LOG.log(System.Logger.Level.WARNING, "Listener on channel " + channel + " lost its connection ("
                            + e.getMessage() + "); reconnecting in " + reconnectDelay.toMillis() + " ms");
                    sleep();
                }
            }
        }
        listening = false;
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

package dev.eventstore.cdi.internal;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * When the injected store sends its {@code pg_notify}. Inside the append's transaction is atomic with the commit, but
 * PostgreSQL refuses to {@code PREPARE TRANSACTION} after a {@code NOTIFY}, so a two-phase (XA) commit would fail;
 * after commit, from a connection outside the transaction, is safe for both, at the price of a notification that is
 * lost if the JVM dies between commit and send (consumers then catch up by polling).
 */
enum NotifyMode {
    /** In the transaction unless the server accepts prepared transactions, which XA needs. */
    AUTO,
    IN_TRANSACTION,
    AFTER_COMMIT;

    static NotifyMode parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("eventstore.notify-mode must be one of " + Arrays.stream(values())
                    .map(mode -> mode.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.joining(", ")) + "; was '" + value + "'", e);
        }
    }

    /**
     * The mode to use. {@link #AUTO} asks the server: with {@code max_prepared_transactions = 0} (PostgreSQL's
     * default) no transaction can be prepared, so no XA commit can be broken by an in-transaction NOTIFY.
     */
    NotifyMode resolve(DataSource dataSource) {
        if (this != AUTO) {
            return this;
        }
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT current_setting('max_prepared_transactions')::int")) {
            row.next();
            return row.getInt(1) > 0 ? AFTER_COMMIT : IN_TRANSACTION;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read max_prepared_transactions to choose when to notify (set"
                    + " eventstore.notify-mode to in-transaction or after-commit to skip the check): " + e, e);
        }
    }
}

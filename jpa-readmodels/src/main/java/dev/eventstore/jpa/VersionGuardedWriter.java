package dev.eventstore.jpa;

import dev.eventstore.PersistedEvent;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Applies events to read-model rows with one version-guarded SQL statement each, on the current transaction's
 * connection, without loading the row first: the fast path for an inline projection on a hot command. The row carries
 * {@code last_applied_version} (as an {@link AggregateReadModel} does, so a JPA entity can map the same table for
 * reading), and each write is a no-op for an event the row has already applied:
 *
 * <ul>
 * <li>{@link #insert}: {@code INSERT ... ON CONFLICT (id) DO NOTHING}, for the event that starts the row (the
 * stream's first);</li>
 * <li>{@link #update}: {@code UPDATE ... SET <your assignments>, last_applied_version = ? WHERE id = ? AND
 * last_applied_version < ?}, for each later event.</li>
 * </ul>
 *
 * <p>Where {@link ReadModelWriter} costs a {@code SELECT}, a Hibernate session and an {@code INSERT} or
 * {@code UPDATE} at flush, this costs one statement per event. The price: the change is SQL rather than Java on an
 * entity, and an entity of the same row already loaded in the transaction's persistence context does not see it
 * (a JPA query does, since it runs on the same connection after the write).
 *
 * <pre>{@code
 * VersionGuardedWriter writer = new VersionGuardedWriter(dataSource, "order_overview_v1", "order_id");
 * writer.insert(event, orderId, Map.of("customer", placed.customer(), "status", "OPEN"));
 * writer.update(event, orderId, "total_cents = total_cents + ?, line_count = line_count + 1", cents);
 * }</pre>
 */
public final class VersionGuardedWriter {

    /** The version column the guard reads and writes, as on {@link AggregateReadModel}. */
    public static final String VERSION_COLUMN = "last_applied_version";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final String table;
    private final String idColumn;
    private final String update;

    /**
     * @param dataSource the transactional data source: in a container the JTA one, whose connections join the
     *                   current transaction (the append's, for an inline projection)
     * @param table      the read-model table, {@code name} or {@code schema.name}, lower-case identifiers
     * @param idColumn   its key column, on which the insert detects an existing row
     */
    public VersionGuardedWriter(DataSource dataSource, String table, String idColumn) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
        this.table = qualified(table);
        this.idColumn = quoted(idColumn, "idColumn");
        this.update = " , " + VERSION_COLUMN + " = ? WHERE " + this.idColumn + " = ? AND " + VERSION_COLUMN + " < ?";
    }

    /**
     * Creates the row for {@code event} with {@code columns} (name to value; the id and the version are added), or
     * does nothing when a row with {@code id} exists: it has applied this first event already.
     *
     * @return {@link ReadModelWriter.Outcome#CREATED} or {@link ReadModelWriter.Outcome#SKIPPED}
     */
    public ReadModelWriter.Outcome insert(PersistedEvent event, Object id, Map<String, ?> columns) {
        Objects.requireNonNull(event, "event must not be null");
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(columns, "columns must not be null; use Map.of() for none");
        Map<String, Object> values = new LinkedHashMap<>();
        columns.forEach((name, value) -> values.put(quoted(name, "column"), value));
        StringBuilder names = new StringBuilder(idColumn);
        StringBuilder marks = new StringBuilder("?");
        for (String name : values.keySet()) {
            names.append(", ").append(name);
            marks.append(", ?");
        }
        String sql = "INSERT INTO " + table + " (" + names + ", " + VERSION_COLUMN + ") VALUES (" + marks
                + ", ?) ON CONFLICT (" + idColumn + ") DO NOTHING";
        List<Object> parameters = new ArrayList<>();
        parameters.add(id);
        parameters.addAll(values.values());
        parameters.add(event.aggregateVersion());
        return execute(sql, parameters, event) == 1 ? ReadModelWriter.Outcome.CREATED
                : ReadModelWriter.Outcome.SKIPPED;
    }

    /**
     * Applies {@code event} to the row with {@code id} through {@code assignments} (the {@code SET} list, for example
     * {@code "total_cents = total_cents + ?"}, with {@code parameters} for its placeholders) and records its version,
     * unless the row has applied this event or a later one, or does not exist.
     *
     * @return {@link ReadModelWriter.Outcome#UPDATED} or {@link ReadModelWriter.Outcome#SKIPPED}
     */
    public ReadModelWriter.Outcome update(PersistedEvent event, Object id, String assignments, Object... parameters) {
        Objects.requireNonNull(event, "event must not be null");
        Objects.requireNonNull(id, "id must not be null");
        if (assignments == null || assignments.isBlank()) {
            throw new IllegalArgumentException("assignments must not be blank: give the SET list, for example"
                    + " \"total_cents = total_cents + ?\"");
        }
        if (assignments.contains(";")) {
            throw new IllegalArgumentException("assignments must be one SET list without ';': " + assignments);
        }
        List<Object> values = new ArrayList<>(List.of(parameters));
        values.add(event.aggregateVersion());
        values.add(id);
        values.add(event.aggregateVersion());
        return execute("UPDATE " + table + " SET " + assignments + update, values, event) == 1
                ? ReadModelWriter.Outcome.UPDATED : ReadModelWriter.Outcome.SKIPPED;
    }

    private int execute(String sql, List<Object> parameters, PersistedEvent event) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Read model " + table + " could not apply " + event.eventType() + " "
                    + event.aggregateType() + "/" + event.aggregateId() + " v" + event.aggregateVersion() + ": "
                    + e.getMessage(), e);
        }
    }

    private static String qualified(String table) {
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("table must not be blank; give name or schema.name");
        }
        int dot = table.indexOf('.');
        return dot < 0 ? quoted(table, "table")
                : quoted(table.substring(0, dot), "table schema") + "." + quoted(table.substring(dot + 1), "table");
    }

    private static String quoted(String identifier, String what) {
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException(what + " '" + identifier + "' is not a lower-case SQL identifier"
                    + " (letters, digits, underscores, not starting with a digit, at most 63 characters)");
        }
        return "\"" + identifier + "\"";
    }
}

package dev.eventstore.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A schema owned by one test class; {@link #close()} drops it with everything inside. */
public record TestSchema(TestDatabase database, String name) implements AutoCloseable {

    /** A new auto-commit connection with this schema as search path. */
    public Connection connect() throws SQLException {
        return database.connect(name);
    }

    /** A new connection with auto-commit off, ready for a transaction. */
    public Connection begin() throws SQLException {
        Connection connection = connect();
        connection.setAutoCommit(false);
        return connection;
    }

    public String url() {
        return database.urlFor(name);
    }

    /** Runs one statement in auto-commit mode and returns the first column of the first row as a long. */
    public long queryLong(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             var row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }
}

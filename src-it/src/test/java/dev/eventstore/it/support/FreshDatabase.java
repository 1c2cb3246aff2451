package dev.eventstore.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Drops and recreates the container tests' own database before the servers start, so every run begins from nothing:
 * no events, checkpoints or parked projections left by an earlier run. Run by the build, not a test.
 */
public final class FreshDatabase {

    private FreshDatabase() {
    }

    public static void main(String[] args) throws SQLException {
        String name = args[0];
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be a plain identifier, was " + name);
        }
        String host = env("EVENTSTORE_DB_HOST", "localhost");
        String port = env("EVENTSTORE_DB_PORT", "5432");
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port
                + "/postgres", env("EVENTSTORE_DB_USER", "postgres"), env("EVENTSTORE_DB_PASSWORD", ""));
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        }
        System.out.println("Container tests use the fresh database " + name + " on " + host + ":" + port);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

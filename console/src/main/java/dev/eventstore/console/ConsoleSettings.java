package dev.eventstore.console;

import dev.eventstore.postgres.SqlName;

import java.util.Optional;
import java.util.function.Function;

/**
 * The console's settings, read from MicroProfile Config where the server has it, else from system properties.
 *
 * @param hidePayloadsFromViewers {@value #HIDE_PAYLOADS}: viewers see no payload or metadata, and may not filter
 *                                by metadata (which would reveal it value by value); operators see everything
 * @param headsTable              {@code eventstore.heads-table}, the store's setting, for the largest streams
 * @param dataSource              {@code eventstore.datasource}, the store's setting, for the largest streams when
 *                                the application produces no {@code @EventStoreDataSource}
 */
record ConsoleSettings(boolean hidePayloadsFromViewers, SqlName headsTable, String dataSource) {

    static final String HIDE_PAYLOADS = "eventstore.console.hide-payloads-from-viewers";
    static final String HEADS_TABLE = "eventstore.heads-table";
    static final String DATASOURCE = "eventstore.datasource";

    /** @throws IllegalArgumentException naming the key, for a value that is not valid */
    static ConsoleSettings resolve(Function<String, Optional<String>> config) {
        String hide = config.apply(HIDE_PAYLOADS).map(String::strip).orElse("false");
        if (!hide.equalsIgnoreCase("true") && !hide.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(HIDE_PAYLOADS + " must be true or false, was '" + hide + "'");
        }
        SqlName heads;
        String headsName = config.apply(HEADS_TABLE).map(String::strip).orElse("aggregate_heads");
        try {
            heads = SqlName.parse(headsName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(HEADS_TABLE + ": " + e.getMessage(), e);
        }
        return new ConsoleSettings(Boolean.parseBoolean(hide), heads,
                config.apply(DATASOURCE).map(String::strip).orElse("java:comp/DefaultDataSource"));
    }

    static ConsoleSettings fromEnvironment() {
        return resolve(MicroProfileConfig.available() ? MicroProfileConfig::value
                : key -> Optional.ofNullable(System.getProperty(key)));
    }

    /** Only loaded when the MicroProfile Config API is on the class path. */
    private static final class MicroProfileConfig {
        static boolean available() {
            try {
                Class.forName("org.eclipse.microprofile.config.ConfigProvider", false,
                        ConsoleSettings.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }

        static Optional<String> value(String key) {
            try {
                return org.eclipse.microprofile.config.ConfigProvider.getConfig().getOptionalValue(key, String.class);
            } catch (IllegalStateException e) {
                return Optional.ofNullable(System.getProperty(key));
            }
        }
    }
}

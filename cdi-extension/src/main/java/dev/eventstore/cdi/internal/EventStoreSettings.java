package dev.eventstore.cdi.internal;

import dev.eventstore.postgres.StoreConfig;

import java.util.Optional;
import java.util.function.Function;

/**
 * The injected store's configuration: MicroProfile Config when the server offers it, else system properties.
 *
 * <ul>
 *   <li>{@value #DATASOURCE}: JNDI name of the JTA datasource (default {@value #DEFAULT_DATASOURCE});</li>
 *   <li>{@value #EVENTS_TABLE}, {@value #HEADS_TABLE}: table names, optionally {@code schema.name};</li>
 *   <li>{@value #NOTIFY_CHANNEL}: when set, appends notify this channel after commit;</li>
 *   <li>{@value #NOTIFY_MODE}: {@code auto} (default), {@code in-transaction} or {@code after-commit}, see
 *       {@link NotifyMode};</li>
 *   <li>{@value #CHECKPOINTS_TABLE}: checkpoints of asynchronous projections;</li>
 *   <li>{@value #NODE}: this JVM's name in projection leases (default host name plus a random suffix).</li>
 * </ul>
 */
record EventStoreSettings(String dataSourceJndiName, StoreConfig storeConfig, NotifyMode notifyMode, String node) {

    static final String DATASOURCE = "eventstore.datasource";
    static final String EVENTS_TABLE = "eventstore.events-table";
    static final String HEADS_TABLE = "eventstore.heads-table";
    static final String NOTIFY_CHANNEL = "eventstore.notify-channel";
    static final String NOTIFY_MODE = "eventstore.notify-mode";
    static final String NODE = "eventstore.node";
    static final String CHECKPOINTS_TABLE = "eventstore.checkpoints-table";
    static final String DEFAULT_DATASOURCE = "java:comp/DefaultDataSource";

    static EventStoreSettings resolve() {
        return from(configLookup());
    }

    static EventStoreSettings from(Function<String, Optional<String>> config) {
        StoreConfig store = StoreConfig.defaults();
        try {
            store = store.withEventsTable(config.apply(EVENTS_TABLE).orElse(StoreConfig.DEFAULT_EVENTS_TABLE))
                    .withHeadsTable(config.apply(HEADS_TABLE).orElse(StoreConfig.DEFAULT_HEADS_TABLE))
                    .withCheckpointsTable(config.apply(CHECKPOINTS_TABLE)
                            .orElse(StoreConfig.DEFAULT_CHECKPOINTS_TABLE));
            Optional<String> channel = config.apply(NOTIFY_CHANNEL).filter(value -> !value.isBlank());
            if (channel.isPresent()) {
                store = store.withNotifyChannel(channel.get());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid event store configuration (" + EVENTS_TABLE + ", "
                    + HEADS_TABLE + ", " + NOTIFY_CHANNEL + "): " + e.getMessage(), e);
        }
        NotifyMode notifyMode = config.apply(NOTIFY_MODE).filter(value -> !value.isBlank()).map(NotifyMode::parse)
                .orElse(NotifyMode.AUTO);
        return new EventStoreSettings(config.apply(DATASOURCE).orElse(DEFAULT_DATASOURCE), store, notifyMode,
                config.apply(NODE).orElseGet(EventStoreSettings::defaultNode));
    }

    /** Host name plus a random suffix: unique per JVM, recognisable in lease columns and logs. */
    private static String defaultNode() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "node";
        }
        return host + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    private static Function<String, Optional<String>> configLookup() {
        if (MicroProfileConfig.available()) {
            return MicroProfileConfig::value;
        }
        return key -> Optional.ofNullable(System.getProperty(key));
    }

    /** Only loaded when the MicroProfile Config API is on the classpath. */
    private static final class MicroProfileConfig {
        static boolean available() {
            try {
                Class.forName("org.eclipse.microprofile.config.ConfigProvider", false,
                        EventStoreSettings.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }

        static Optional<String> value(String key) {
            try {
                return org.eclipse.microprofile.config.ConfigProvider.getConfig().getOptionalValue(key, String.class);
            } catch (IllegalStateException e) {
                // API present without an implementation: fall back to system properties
                return Optional.ofNullable(System.getProperty(key));
            }
        }
    }
}

package dev.eventstore.async.internal;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The PostgreSQL driver's {@code getNotifications}, reached through standard JDBC unwrapping. The driver's API need
 * not be visible to this library: in WildFly the driver lives in a module the deployment does not see, so the
 * interface is loaded from the class loader of the driver's own objects (the connection's metadata) and called
 * reflectively.
 */
final class DriverNotifications {

    private static final String API = "org.postgresql.PGConnection";

    /** Notifications cannot be received on this connection; the message says why. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private final Object connection;
    private final Method getNotifications;

    private DriverNotifications(Object connection, Method getNotifications) {
        this.connection = connection;
        this.getNotifications = getNotifications;
    }

    static DriverNotifications of(Connection connection) throws SQLException, Unavailable {
        DatabaseMetaData metaData = connection.getMetaData();
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        loaders.add(DriverNotifications.class.getClassLoader());
        if (metaData.getClass().getClassLoader() != null) {
            loaders.add(metaData.getClass().getClassLoader());
        }
        List<String> tried = new ArrayList<>();
        for (ClassLoader loader : loaders) {
            Class<?> api;
            try {
                api = Class.forName(API, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                tried.add(API + " not visible to " + loader);
                continue;
            }
            Object pg = null;
            if (connection.isWrapperFor(api)) {
                pg = connection.unwrap(api);
            } else if (api.isInstance(metaData.getConnection())) {
                pg = metaData.getConnection();
            }
            if (pg != null) {
                try {
                    return new DriverNotifications(pg, api.getMethod("getNotifications", int.class));
                } catch (NoSuchMethodException e) {
                    tried.add(API + " of " + loader + " has no getNotifications(int)");
                    continue;
                }
            }
            tried.add(connection.getClass().getName() + " does not unwrap to " + API + " of " + loader);
        }
        throw new Unavailable("the PostgreSQL driver's notification API cannot be reached through the datasource's"
                + " connections (" + String.join("; ", tried) + ")");
    }

    /** Waits up to {@code millis} for notifications; true when at least one arrived. */
    boolean await(int millis) throws SQLException {
        try {
            Object received = getNotifications.invoke(connection, millis);
            return received != null && Array.getLength(received) > 0;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("getNotifications failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new SQLException("getNotifications is not accessible: " + e, e);
        }
    }
}

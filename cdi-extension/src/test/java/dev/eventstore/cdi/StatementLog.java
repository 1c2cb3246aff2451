package dev.eventstore.cdi;

import dev.eventstore.testing.JtaEnvironment;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the SQL the store prepares through a real datasource, and whether a JTA transaction was active on the
 * preparing thread: what a test needs to see which statements ran inside the transaction. Every call still goes to
 * the real pool and database.
 */
final class StatementLog {

    record Statement(String sql, boolean inTransaction) {
    }

    private final List<Statement> statements = new CopyOnWriteArrayList<>();

    DataSource wrap(DataSource dataSource) {
        return proxy(DataSource.class, dataSource);
    }

    List<Statement> statements() {
        return List.copyOf(statements);
    }

    void clear() {
        statements.clear();
    }

    private <T> T proxy(Class<T> type, T target) {
        InvocationHandler handler = (proxy, method, arguments) -> {
            if (method.getName().startsWith("prepare") && arguments != null && arguments[0] instanceof String sql) {
                statements.add(new Statement(sql, transactionActive()));
            }
            Object result = invoke(method, target, arguments);
            return method.getName().equals("getConnection") ? proxy(Connection.class, (Connection) result) : result;
        };
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{type}, handler));
    }

    private static Object invoke(Method method, Object target, Object[] arguments) throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static boolean transactionActive() {
        try {
            return JtaEnvironment.transactionManager().getStatus() != Status.STATUS_NO_TRANSACTION;
        } catch (SystemException e) {
            throw new IllegalStateException(e);
        }
    }
}

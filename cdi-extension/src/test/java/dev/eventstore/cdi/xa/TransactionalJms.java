package dev.eventstore.cdi.xa;

import dev.eventstore.testing.JtaEnvironment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.XAConnectionFactory;
import jakarta.jms.XAJMSContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a Jakarta EE server does for {@code @Inject JMSContext}, for Weld SE with Narayana: one
 * XA context per JTA transaction, its XA resource enlisted in that transaction, closed when it completes. A send
 * through it is therefore part of the two-phase commit, as in WildFly with its embedded broker.
 *
 * <p>For the crash tests it can also, in a JVM started for that, enlist a {@link CrashingXAResource} just before
 * the broker (so the broker is prepared but not committed when the JVM dies) or halt the JVM at the n-th send (in
 * the middle of a batch, before anything is prepared).
 */
public class TransactionalJms {

    /** Halt the JVM right after the n-th message sent through an injected context. */
    static final String CRASH_AT_SEND = "eventstore.test.crash-at-send";
    /** Enlist a {@link CrashingXAResource} that halts at commit, after PostgreSQL committed, before the broker. */
    static final String CRASH_BEFORE_BROKER_COMMIT = "eventstore.test.crash-before-broker-commit";

    private static volatile XAConnectionFactory connectionFactory;
    private static final AtomicInteger SENT = new AtomicInteger();

    private static final Object RESOURCE_KEY = TransactionalJms.class.getName() + ".context";

    /** The broker the injected contexts talk to; set before the container starts. */
    static void use(XAConnectionFactory factory) {
        connectionFactory = factory;
    }

    /**
     * One proxy for all: each call goes to the context of the calling thread's transaction, made and enlisted at its
     * first use, as WildFly's injected {@code JMSContext} does.
     */
    @Produces
    @ApplicationScoped
    JMSContext context() {
        return (JMSContext) Proxy.newProxyInstance(TransactionalJms.class.getClassLoader(),
                new Class<?>[] {JMSContext.class}, (proxy, method, arguments) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "TransactionalJms.context"
                                : invoke(this, method, arguments);
                    }
                    return invoke(current(), method, arguments);
                });
    }

    private static JMSContext current() throws Exception {
        TransactionSynchronizationRegistry registry = JtaEnvironment.synchronizationRegistry();
        if (registry.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException("The injected JMSContext needs an active JTA transaction");
        }
        JMSContext context = (JMSContext) registry.getResource(RESOURCE_KEY);
        if (context == null) {
            context = enlisted();
            registry.putResource(RESOURCE_KEY, context);
            JMSContext completed = context;
            registry.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    completed.close();
                }
            });
        }
        return context;
    }

    private static JMSContext enlisted() throws Exception {
        XAConnectionFactory factory = connectionFactory;
        if (factory == null) {
            throw new IllegalStateException("TransactionalJms.use(factory) was not called before the container"
                    + " started");
        }
        Transaction transaction = JtaEnvironment.transactionManager().getTransaction();
        if (Boolean.getBoolean(CRASH_BEFORE_BROKER_COMMIT)) {
            transaction.enlistResource(new CrashingXAResource(CrashingXAResource.Step.COMMIT));
        }
        XAJMSContext context = factory.createXAContext();
        try {
            transaction.enlistResource(new NamedXAResource(context.getXAResource(), NamedXAResource.BROKER));
        } catch (Exception | Error e) {
            context.close();
            throw e;
        }
        Integer crashAt = Integer.getInteger(CRASH_AT_SEND);
        return crashAt == null ? context.getContext() : haltingAtSend(context.getContext(), crashAt);
    }

    /** The context, except that the n-th send halts the JVM once it has gone to the broker. */
    private static JMSContext haltingAtSend(JMSContext context, int crashAt) {
        InvocationHandler producers = (proxy, method, arguments) -> {
            Object result = invoke(context, method, arguments);
            if (result instanceof JMSProducer producer) {
                return haltingProducer(producer, crashAt);
            }
            return result;
        };
        return (JMSContext) Proxy.newProxyInstance(TransactionalJms.class.getClassLoader(),
                new Class<?>[] {JMSContext.class}, producers);
    }

    private static JMSProducer haltingProducer(JMSProducer producer, int crashAt) {
        return (JMSProducer) Proxy.newProxyInstance(TransactionalJms.class.getClassLoader(),
                new Class<?>[] {JMSProducer.class}, (proxy, method, arguments) -> {
                    Object result = invoke(producer, method, arguments);
                    if (method.getName().equals("send") && SENT.incrementAndGet() == crashAt) {
                        System.out.println("CRASH after send " + crashAt);
                        System.out.flush();
                        Runtime.getRuntime().halt(CrashingXAResource.HALTED);
                    }
                    return result == producer ? proxy : result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] arguments)
            throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

package dev.eventstore.it.app;

import jakarta.enterprise.context.ApplicationScoped;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds a transaction in the middle of its two-phase commit, for the test JVM to look at: an XA resource enlisted
 * last is prepared after the store's datasource and the broker, and waits there until the test votes. Meanwhile the
 * test sees what a prepared but uncommitted transaction leaves visible (nothing but the branch in
 * {@code pg_prepared_xacts}); a vote to roll back makes the coordinator roll back both prepared branches.
 */
@ApplicationScoped
public class PrepareGate {

    /** The server's TransactionManager: WildFly's name, then Payara's. */
    private static final List<String> TRANSACTION_MANAGER = List.of("java:jboss/TransactionManager",
            "java:appserver/TransactionManager");
    /** Never hold a transaction (and its locks) for long when the test that should vote is gone. */
    private static final long MAX_HOLD_SECONDS = 60;

    private final AtomicReference<Held> held = new AtomicReference<>();

    /** Enlists the holding resource in the caller's transaction; call it after every other resource took part. */
    public void holdCurrentTransactionInPrepare() {
        try {
            transactionManager().getTransaction().enlistResource(new HoldingResource());
        } catch (Exception e) {
            throw new IllegalStateException("cannot enlist the holding XA resource: " + e, e);
        }
    }

    /**
     * The gid prefix PostgreSQL's driver gives the held transaction's branches ({@code formatId_gtrid_}, both ids in
     * Base64), once a transaction waits in prepare.
     */
    public Optional<String> heldGidPrefix() {
        return Optional.ofNullable(held.get()).map(Held::gidPrefix);
    }

    /** The test's vote for the held transaction: {@code true} lets it commit, {@code false} makes it roll back. */
    public boolean vote(boolean commit) {
        Held waiting = held.getAndSet(null);
        return waiting != null && waiting.vote().complete(commit);
    }

    private static jakarta.transaction.TransactionManager transactionManager() throws NamingException {
        InitialContext context = new InitialContext();
        for (String name : TRANSACTION_MANAGER) {
            try {
                return (jakarta.transaction.TransactionManager) context.lookup(name);
            } catch (NamingException e) {
                // try the next server's name
            }
        }
        throw new NamingException("no TransactionManager at " + TRANSACTION_MANAGER);
    }

    private record Held(String gidPrefix, CompletableFuture<Boolean> vote) {
    }

    /** Prepared last; votes read-only when the test says commit, so it takes no part in phase two. */
    private final class HoldingResource implements XAResource {

        @Override
        public int prepare(Xid xid) throws XAException {
            Held waiting = new Held(xid.getFormatId() + "_"
                    + Base64.getEncoder().encodeToString(xid.getGlobalTransactionId()) + "_",
                    new CompletableFuture<>());
            held.set(waiting);
            boolean commit;
            try {
                commit = waiting.vote().get(MAX_HOLD_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                commit = false;
            } catch (ExecutionException | TimeoutException e) {
                commit = false;
            } finally {
                held.compareAndSet(waiting, null);
            }
            if (!commit) {
                throw new XAException(XAException.XA_RBROLLBACK);
            }
            return XA_RDONLY;
        }

        @Override
        public void commit(Xid xid, boolean onePhase) {
        }

        @Override
        public void rollback(Xid xid) {
        }

        @Override
        public void start(Xid xid, int flags) {
        }

        @Override
        public void end(Xid xid, int flags) {
        }

        @Override
        public void forget(Xid xid) {
        }

        @Override
        public Xid[] recover(int flag) {
            return new Xid[0];
        }

        @Override
        public boolean isSameRM(XAResource other) {
            return other == this;
        }

        @Override
        public int getTransactionTimeout() {
            return 0;
        }

        @Override
        public boolean setTransactionTimeout(int seconds) {
            return false;
        }
    }
}

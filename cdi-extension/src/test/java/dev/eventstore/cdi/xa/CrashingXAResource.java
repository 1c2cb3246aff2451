package dev.eventstore.cdi.xa;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.io.Serial;
import java.io.Serializable;

/**
 * A participant of the two-phase commit that votes yes and changes nothing, except that in a JVM started with
 * {@value #ARMED}{@code =true} it halts the JVM (no shutdown hooks, no finally blocks: like a power cut) when the
 * transaction manager calls it at the chosen step. Where it is enlisted decides what the others have done by then:
 * Narayana prepares, and then commits, the participants in the order they were enlisted.
 *
 * <p>It is {@link Serializable} so that Narayana writes it into the transaction log with the others, and the
 * recovering JVM, where it is not armed, can complete it like any other participant.
 */
final class CrashingXAResource implements XAResource, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The system property that arms it; only the JVM meant to die sets it. */
    static final String ARMED = "eventstore.test.crash";
    /** The exit status of a JVM it halted. */
    static final int HALTED = 77;

    enum Step { PREPARE, COMMIT }

    private final Step step;

    CrashingXAResource(Step step) {
        this.step = step;
    }

    @Override
    public int prepare(Xid xid) {
        haltIfArmed(Step.PREPARE, xid);
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
        haltIfArmed(Step.COMMIT, xid);
    }

    private void haltIfArmed(Step now, Xid xid) {
        if (now == step && Boolean.getBoolean(ARMED)) {
            // The parent test reads this line to find the in-doubt branches of this transaction.
            System.out.println("CRASH at " + now + " of gid " + PreparedTransactions.gidPrefix(xid));
            System.out.flush();
            Runtime.getRuntime().halt(HALTED);
        }
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

    @Override
    public String toString() {
        return "CrashingXAResource[" + step + "]";
    }
}

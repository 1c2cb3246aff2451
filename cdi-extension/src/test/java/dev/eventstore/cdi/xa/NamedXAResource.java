package dev.eventstore.cdi.xa;

import org.jboss.tm.XAResourceWrapper;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * An XA resource labelled with the name of its resource manager, as application servers label theirs (the JNDI name
 * of the datasource or connection factory). Narayana writes the name into its log with the branch. At recovery, once
 * it has asked the resource manager of that name for its prepared branches and the branch is not among them, it knows
 * the branch was completed (the JVM died after that resource committed, before the log was updated) and can clear
 * the entry; without the name it would keep asking forever.
 */
final class NamedXAResource implements XAResourceWrapper {

    /** The name of the event store's PostgreSQL, in the enlisting pool and in recovery. */
    static final String DATABASE = "java:/eventstore/XADataSource";
    /** The name of the broker, in the enlisting JMS contexts and in recovery. */
    static final String BROKER = "java:/jms/XAConnectionFactory";

    private final XAResource resource;
    private final String name;

    NamedXAResource(XAResource resource, String name) {
        this.resource = resource;
        this.name = name;
    }

    @Override
    public XAResource getResource() {
        return resource;
    }

    @Override
    public String getProductName() {
        return name.equals(DATABASE) ? "PostgreSQL" : "ActiveMQ Artemis";
    }

    @Override
    public String getProductVersion() {
        return "";
    }

    @Override
    public String getJndiName() {
        return name;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        resource.commit(xid, onePhase);
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        resource.end(xid, flags);
    }

    @Override
    public void forget(Xid xid) throws XAException {
        resource.forget(xid);
    }

    @Override
    public int getTransactionTimeout() throws XAException {
        return resource.getTransactionTimeout();
    }

    @Override
    public boolean isSameRM(XAResource other) throws XAException {
        XAResource unwrapped = other instanceof XAResourceWrapper wrapper ? wrapper.getResource() : other;
        return resource.isSameRM(unwrapped);
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        return resource.prepare(xid);
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        return resource.recover(flag);
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        resource.rollback(xid);
    }

    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        return resource.setTransactionTimeout(seconds);
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        resource.start(xid, flags);
    }

    @Override
    public String toString() {
        return name + "[" + resource + "]";
    }
}

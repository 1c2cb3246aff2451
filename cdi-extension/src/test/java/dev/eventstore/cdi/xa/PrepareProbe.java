package dev.eventstore.cdi.xa;

import dev.eventstore.testing.TestSchema;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.sql.SQLException;
import java.util.List;

/**
 * Enlisted last, it is prepared last: at that moment it records what PostgreSQL and the broker hold prepared for
 * this transaction, the proof that both really went through phase one. It votes read-only, so it takes no part in
 * phase two.
 */
final class PrepareProbe implements XAResource {

    private final TestSchema schema;
    private final EmbeddedBroker broker;
    private volatile List<String> postgresPrepared;
    private volatile int brokerPrepared = -1;

    PrepareProbe(TestSchema schema, EmbeddedBroker broker) {
        this.schema = schema;
        this.broker = broker;
    }

    List<String> postgresPrepared() {
        return postgresPrepared;
    }

    int brokerPrepared() {
        return brokerPrepared;
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        try {
            postgresPrepared = PreparedTransactions.gids(schema, PreparedTransactions.gidPrefix(xid));
        } catch (SQLException e) {
            XAException failure = new XAException(XAException.XAER_RMERR);
            failure.initCause(e);
            throw failure;
        }
        brokerPrepared = broker.prepared(xid.getGlobalTransactionId()).size();
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

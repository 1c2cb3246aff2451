package dev.eventstore.cdi.xa;

import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import com.arjuna.ats.jta.xa.XATxConverter;
import com.arjuna.ats.jta.xa.XidImple;
import jakarta.jms.XAConnectionFactory;
import jakarta.jms.XAJMSContext;
import org.postgresql.xa.PGXADataSource;

import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Narayana's crash recovery, as an application server runs it for its XA datasources and its JMS connection
 * factory: the transaction log of one node, and for each resource a helper that opens a connection and lists the
 * branches the resource holds prepared. A scan commits the branches of logged (decided) transactions and rolls back
 * this node's branches that no log entry covers (prepared, but the JVM died before deciding).
 */
final class NarayanaRecovery {

    private NarayanaRecovery() {
    }

    /**
     * The system properties that give a JVM node {@code node}'s transaction log at {@code objectStore}: the JVM that
     * crashes and the one that recovers must share both. The node name is in every Xid, so recovery only ever rolls
     * back this node's orphans, never those of another transaction manager using the same database.
     */
    static Map<String, String> settings(Path objectStore, String node) {
        String directory = objectStore.toAbsolutePath().toString();
        return Map.of(
                "JTAEnvironmentBean.xaResourceRecordWrappingPluginClassName", ResourceNamesInLog.class.getName(),
                "ObjectStoreEnvironmentBean.objectStoreDir", directory,
                "com.arjuna.ats.arjuna.objectstore.objectStoreDir", directory,
                "CoreEnvironmentBean.nodeIdentifier", node,
                "JTAEnvironmentBean.xaRecoveryNodes", node,
                // Orphans are rolled back at the first scan that finds them twice, and the scan's two passes are
                // 1 s apart (defaults: 20 s and 10 s, sized for servers that recover in the background).
                "JTAEnvironmentBean.orphanSafetyInterval", "0",
                "RecoveryEnvironmentBean.recoveryBackoffPeriod", "1");
    }

    /** The transactions of the log that are decided but not yet completed at every resource. */
    static List<Path> loggedTransactions(Path objectStore) {
        if (!Files.isDirectory(objectStore)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(objectStore)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getParent().getFileName().toString().equals("AtomicAction"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Scans until the log at {@code objectStore} is empty and neither PostgreSQL nor the broker holds a prepared
     * branch of {@code node}; returns the number of scans. Must run in a JVM started with {@link #settings}.
     */
    static int recover(Path objectStore, String node, PGXADataSource database, XAConnectionFactory broker,
                       Duration timeout) throws Exception {
        RecoveryManager manager = RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT);
        XAConnection databaseConnection = database.getXAConnection();
        XAJMSContext brokerContext = broker.createXAContext();
        try {
            XAResource databaseResource = new NamedXAResource(databaseConnection.getXAResource(),
                    NamedXAResource.DATABASE);
            XAResource brokerResource = new NamedXAResource(brokerContext.getXAResource(), NamedXAResource.BROKER);
            XARecoveryModule xaRecovery = XARecoveryModule.getRegisteredXARecoveryModule();
            xaRecovery.addXAResourceRecoveryHelper(helper(databaseResource));
            xaRecovery.addXAResourceRecoveryHelper(helper(brokerResource));
            long deadline = System.nanoTime() + timeout.toNanos();
            int scans = 0;
            while (true) {
                manager.scan();
                scans++;
                List<Xid> inDoubt = new ArrayList<>(branchesOf(node, databaseResource));
                inDoubt.addAll(branchesOf(node, brokerResource));
                if (loggedTransactions(objectStore).isEmpty() && inDoubt.isEmpty()) {
                    return scans;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("recovery did not finish within " + timeout + ": log "
                            + loggedTransactions(objectStore) + ", prepared branches " + inDoubt);
                }
            }
        } finally {
            manager.terminate();
            brokerContext.close();
            closeQuietly(databaseConnection);
        }
    }

    private static XAResourceRecoveryHelper helper(XAResource resource) {
        return new XAResourceRecoveryHelper() {
            @Override
            public boolean initialise(String parameter) {
                return true;
            }

            @Override
            public XAResource[] getXAResources() {
                return new XAResource[] {resource};
            }
        };
    }

    /** The branches the resource holds prepared whose Xid names {@code node} as the transaction manager's node. */
    static List<Xid> branchesOf(String node, XAResource resource) throws XAException {
        List<Xid> branches = new ArrayList<>();
        Xid[] prepared = resource.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
        for (Xid xid : prepared == null ? new Xid[0] : prepared) {
            if (xid.getFormatId() == XATxConverter.FORMAT_ID
                    && node.equals(XATxConverter.getNodeName(new XidImple(xid).getXID()))) {
                branches.add(xid);
            }
        }
        return branches;
    }

    private static void closeQuietly(XAConnection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            System.err.println("closing the recovery connection failed: " + e);
        }
    }
}

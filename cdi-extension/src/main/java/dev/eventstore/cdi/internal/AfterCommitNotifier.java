package dev.eventstore.cdi.internal;

import dev.eventstore.AppendResult;
import dev.eventstore.postgres.spi.AppendListener;
import dev.eventstore.postgres.spi.StoreNotification;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Sends the store's notification once the appending transaction has committed, one {@code pg_notify} per aggregate
 * type it appended to, from a connection outside any transaction on a thread of its own (a JTA datasource hands out no
 * connection in after-completion). Nothing is sent for a rolled-back transaction. The payload is the one appends send
 * in-transaction ({@link StoreNotification#PG_NOTIFY}), so listeners see the same whichever way notifications go.
 */
final class AfterCommitNotifier implements AppendListener {

    private static final System.Logger LOG = System.getLogger(AfterCommitNotifier.class.getName());
    private static final Object RESOURCE_KEY = AfterCommitNotifier.class.getName() + ".pending";

    private final DataSource dataSource;
    private final TransactionSynchronizationRegistry transactions;
    private final String channel;
    private final ThreadPoolExecutor sender;

    AfterCommitNotifier(DataSource dataSource, TransactionSynchronizationRegistry transactions, String channel,
                        ThreadFactory threads) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.channel = channel;
        // One thread at most, gone after a few idle seconds: nothing to shut down when the application stops.
        this.sender = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
    }

    @Override
    public void afterAppend(AppendResult result) {
        Pending pending = (Pending) transactions.getResource(RESOURCE_KEY);
        if (pending == null) {
            pending = new Pending();
            transactions.putResource(RESOURCE_KEY, pending);
            transactions.registerInterposedSynchronization(pending);
        }
        pending.aggregateTypes.add(result.aggregateType());
    }

    private void send(Set<String> aggregateTypes) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement notify = connection.prepareStatement("SELECT " + StoreNotification.PG_NOTIFY)) {
            for (String aggregateType : aggregateTypes) {
                notify.setString(1, channel);
                notify.setString(2, aggregateType);
                notify.executeQuery().close();
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Committed appends to " + aggregateTypes + " were not announced on"
                    + " channel " + channel + "; consumers pick them up when they next poll", e);
        }
    }

    /** The aggregate types one transaction appended to. */
    private final class Pending implements Synchronization {
        private final Set<String> aggregateTypes = new LinkedHashSet<>();

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
                Set<String> committed = new LinkedHashSet<>(aggregateTypes);
                sender.execute(() -> send(committed));
            }
        }
    }
}

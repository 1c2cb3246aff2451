package dev.eventstore.cdi;

import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Beans deployed by the CDI tests: projections, observers and a transactional service, as an application has them. */
final class TestBeans {

    private TestBeans() {
    }

    /** Inline, Order only: writes a row through the same JTA datasource, so it commits or rolls back with the append. */
    @ApplicationScoped
    @Projection(name = "order-rows", aggregateTypes = "Order")
    public static class OrderRowsProjection {
        @Inject
        @EventStoreDataSource
        DataSource dataSource;
        @Inject
        Recorder recorder;
        @Inject
        TransactionSynchronizationRegistry transactions;

        @EventHandler
        public void on(PersistedEvent event) throws SQLException {
            recorder.saw("order-rows", event, transactions.getTransactionStatus());
            if (event.eventType().equals("Poison")) {
                throw new IllegalStateException("cannot digest " + event.eventType());
            }
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO projection_rows (aggregate_id, aggregate_version, event_type) VALUES (?, ?, ?)")) {
                insert.setString(1, event.aggregateId());
                insert.setLong(2, event.aggregateVersion());
                insert.setString(3, event.eventType());
                insert.executeUpdate();
            }
        }
    }

    /** Inline, every aggregate type, a dependent bean. */
    @Dependent
    @Projection(name = "everything")
    public static class EverythingProjection {
        @Inject
        Recorder recorder;
        @Inject
        TransactionSynchronizationRegistry transactions;

        @EventHandler
        public void on(PersistedEvent event) {
            recorder.saw("everything", event, transactions.getTransactionStatus());
        }
    }

    /** Asynchronous: run by the projection runtime after commit, in a JTA transaction of its own. */
    @ApplicationScoped
    @Projection(name = "later", mode = dev.eventstore.projection.ProjectionMode.ASYNC)
    public static class LaterProjection {
        @Inject
        Recorder recorder;
        @Inject
        TransactionSynchronizationRegistry transactions;

        @EventHandler
        public void on(PersistedEvent event) {
            recorder.saw("later", event, transactions.getTransactionStatus());
            recorder.sawOnThread("later", Thread.currentThread().getName());
        }
    }

    /** Plain and transactional observers of the CDI events the store fires. */
    @ApplicationScoped
    public static class Observers {
        @Inject
        Recorder recorder;
        @Inject
        TransactionSynchronizationRegistry transactions;

        void inTransaction(@Observes PersistedEvent event) {
            recorder.saw("in-transaction", event, transactions.getTransactionStatus());
        }

        void afterSuccess(@Observes(during = TransactionPhase.AFTER_SUCCESS) PersistedEvent event) {
            recorder.saw("after-success", event, -1);
        }

        void invoicesOnly(@Observes @AggregateType("Invoice") PersistedEvent event) {
            recorder.saw("invoices-only", event, transactions.getTransactionStatus());
        }
    }

    /** A CDI service with container-style declarative transactions. */
    @ApplicationScoped
    public static class TransactionalOrders {
        @Inject
        EventStore store;

        @Transactional
        public void place(String orderId) {
            store.append(ExpectedVersion.noStream(), StoreEvents.event("Order", orderId, "OrderPlaced"));
        }

        @Transactional
        public void placeThenFail(String orderId) {
            store.append(ExpectedVersion.noStream(), StoreEvents.event("Order", orderId, "OrderPlaced"));
            throw new IllegalStateException("payment declined");
        }
    }
}

package dev.eventstore.jpa;

import dev.eventstore.EventStore;
import dev.eventstore.PersistedEvent;
import dev.eventstore.jpa.order.OrderCommands;
import dev.eventstore.jpa.order.OrderEvents;
import dev.eventstore.jpa.order.OrderEvents.OrderLineAdded;
import dev.eventstore.jpa.order.OrderOverviewProjection;
import dev.eventstore.jpa.order.OrderOverviewSqlProjection;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The version-guarded SQL read model beside the JPA one, both inline in the same JTA transactions (Weld SE, Narayana,
 * Agroal, PostgreSQL): equal rows, nothing applied twice on redelivery, nothing left by a rollback.
 */
class VersionGuardedWriterTest {

    private static TestSchema schema;
    private static AgroalDataSource dataSource;
    private static JpaResources jpa;
    private static WeldContainer container;

    private final UserTransaction transaction = JtaEnvironment.userTransaction();

    @BeforeAll
    static void boot() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute(OrderOverviewSqlProjection.DDL);
        }
        dataSource = JtaEnvironment.dataSource(schema, 8);
        jpa = new JpaResources(dataSource);
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults(), List.of(jpa),
                OrderOverviewProjection.class, OrderOverviewSqlProjection.class, OrderCommands.class);
    }

    @AfterAll
    static void shutDown() throws SQLException {
        container.close();
        jpa.factory().close();
        dataSource.close();
        schema.close();
    }

    @AfterEach
    void noTransactionLeftBehind() throws Exception {
        if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
            transaction.rollback();
        }
    }

    @Test
    void theSqlReadModelEqualsTheJpaOneAndCommitsWithTheEvents() throws Exception {
        String open = UUID.randomUUID().toString();
        String confirmed = UUID.randomUUID().toString();
        commands().placeOrder(open, "alice", "EUR", List.of(new OrderLineAdded("BOOK", 2, 1250),
                new OrderLineAdded("PEN", 1, 199)), false);
        commands().placeOrder(confirmed, "bob", "USD", List.of(new OrderLineAdded("MUG", 3, 900)), true);
        commands().addLine(open, new OrderLineAdded("INK", 1, 450));

        assertThat(row("order_overview_sql", open)).isEqualTo(row("order_overview_v1", open))
                .isEqualTo(List.of("alice", "OPEN", "EUR", 3149L, 3, 4L));
        assertThat(row("order_overview_sql", confirmed)).isEqualTo(row("order_overview_v1", confirmed))
                .isEqualTo(List.of("bob", "CONFIRMED", "USD", 2700L, 1, 3L));
    }

    @Test
    void aRedeliveredStreamChangesNothingAndEveryWriteIsSkipped() throws Exception {
        String id = UUID.randomUUID().toString();
        commands().placeOrder(id, "carol", "EUR", List.of(new OrderLineAdded("TEA", 4, 300)), true);
        List<Object> before = row("order_overview_sql", id);

        transaction.begin();
        List<PersistedEvent> stream = store().readAggregateStream(OrderEvents.AGGREGATE_TYPE, id).events();
        VersionGuardedWriter writer = new VersionGuardedWriter(dataSource, "order_overview_sql", "order_id");
        List<ReadModelWriter.Outcome> outcomes = new ArrayList<>();
        outcomes.add(writer.insert(stream.get(0), id, Map.of("customer", "mallory", "currency", "XXX",
                "status", "OPEN")));
        for (PersistedEvent event : stream.subList(1, stream.size())) {
            outcomes.add(writer.update(event, id, "total_cents = total_cents + ?", 1_000_000));
        }
        transaction.commit();

        assertThat(outcomes).hasSize(3).containsOnly(ReadModelWriter.Outcome.SKIPPED);
        assertThat(row("order_overview_sql", id)).isEqualTo(before);
    }

    @Test
    void aNewerEventAppliesOnceAndAnUnknownRowIsSkipped() throws Exception {
        String id = UUID.randomUUID().toString();
        commands().placeOrder(id, "dave", "GBP", List.of(), false);
        commands().addLine(id, new OrderLineAdded("CUP", 1, 500));
        PersistedEvent line = stream(id).get(1);
        VersionGuardedWriter writer = new VersionGuardedWriter(dataSource, "order_overview_sql", "order_id");

        transaction.begin();
        assertThat(writer.update(line, id, "line_count = line_count + 1")).isEqualTo(ReadModelWriter.Outcome.SKIPPED);
        assertThat(writer.update(line, "no-such-order", "line_count = line_count + 1"))
                .isEqualTo(ReadModelWriter.Outcome.SKIPPED);
        transaction.commit();
        assertThat(row("order_overview_sql", id)).isEqualTo(List.of("dave", "OPEN", "GBP", 500L, 1, 2L));
    }

    @Test
    void aRollbackLeavesNeitherEventsNorSqlRow() throws Exception {
        String id = UUID.randomUUID().toString();
        transaction.begin();
        commands().placeOrder(id, "erin", "EUR", List.of(new OrderLineAdded("BOOK", 1, 1000)), false);
        assertThat(row("order_overview_sql", id)).as("not visible outside the transaction").isEmpty();
        transaction.rollback();

        assertThat(row("order_overview_sql", id)).isEmpty();
        assertThat(stream(id)).isEmpty();
    }

    @Test
    void badNamesAndAssignmentsAreRefusedBeforeAnythingIsWritten() throws Exception {
        assertThatThrownBy(() -> new VersionGuardedWriter(dataSource, " ", "order_id"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table must not be blank");
        assertThatThrownBy(() -> new VersionGuardedWriter(dataSource, "order_overview_sql; DROP", "order_id"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a lower-case SQL identifier");
        assertThatThrownBy(() -> new VersionGuardedWriter(dataSource, "order_overview_sql", "Order-Id"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idColumn 'Order-Id'");

        String id = UUID.randomUUID().toString();
        commands().placeOrder(id, "frank", "EUR", List.of(), false);
        PersistedEvent placed = stream(id).get(0);
        VersionGuardedWriter writer = new VersionGuardedWriter(dataSource, "order_overview_sql", "order_id");
        String other = UUID.randomUUID().toString();
        transaction.begin();
        assertThatThrownBy(() -> writer.insert(placed, other, Map.of("customer; --", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 'customer; --'");
        assertThatThrownBy(() -> writer.update(placed, id, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("assignments must not be blank");
        assertThatThrownBy(() -> writer.update(placed, id, "status = 'X'; DELETE FROM order_overview_sql"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without ';'");
        transaction.commit();
        assertThat(row("order_overview_sql", other)).isEmpty();
        assertThat(row("order_overview_sql", id)).isEqualTo(List.of("frank", "OPEN", "EUR", 0L, 0, 1L));
    }

    private static OrderCommands commands() {
        return container.select(OrderCommands.class).get();
    }

    private List<PersistedEvent> stream(String id) throws Exception {
        transaction.begin();
        try {
            return store().readAggregateStream(OrderEvents.AGGREGATE_TYPE, id).events();
        } finally {
            transaction.commit();
        }
    }

    private static EventStore store() {
        return container.select(EventStore.class).get();
    }

    /** customer, status, currency, total cents, line count, last applied version; empty when there is no row. */
    private static List<Object> row(String table, String id) throws SQLException {
        try (Connection connection = schema.connect(); PreparedStatement select = connection.prepareStatement(
                "SELECT customer, status, currency, total_cents, line_count, last_applied_version FROM " + table
                        + " WHERE order_id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return List.of();
                }
                return List.of(row.getString(1), row.getString(2), row.getString(3), row.getLong(4), row.getInt(5),
                        row.getLong(6));
            }
        }
    }
}

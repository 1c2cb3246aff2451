package dev.eventstore.jpa;

import dev.eventstore.EventStore;
import dev.eventstore.PersistedEvent;
import dev.eventstore.ProjectionFailedException;
import dev.eventstore.jpa.order.OrderCommands;
import dev.eventstore.jpa.order.OrderEvents;
import dev.eventstore.jpa.order.OrderEvents.OrderLineAdded;
import dev.eventstore.jpa.order.OrderEvents.OrderPlaced;
import dev.eventstore.jpa.order.OrderOverview;
import dev.eventstore.jpa.order.OrderOverviewProjection;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static dev.eventstore.ExpectedVersion.noStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Order read model with Hibernate, in Weld SE with Narayana, on PostgreSQL: real JTA transactions throughout. */
class JpaReadModelTest {

    private static TestSchema schema;
    private static AgroalDataSource dataSource;
    private static JpaResources jpa;
    private static WeldContainer container;

    private final UserTransaction transaction = JtaEnvironment.userTransaction();

    @BeforeAll
    static void boot() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        dataSource = JtaEnvironment.dataSource(schema, 8);
        jpa = new JpaResources(dataSource);
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults(), List.of(jpa),
                OrderOverviewProjection.class, OrderCommands.class);
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
    void theReadModelCommitsTogetherWithTheEvents() throws Exception {
        String id = UUID.randomUUID().toString();

        commands().placeOrder(id, "alice", "EUR", List.of(new OrderLineAdded("BOOK", 2, 1250),
                new OrderLineAdded("PEN", 1, 199)), true);

        assertThat(row(id)).isEqualTo(new Row(id, "alice", "CONFIRMED", "EUR", 2699, 2, 4));
        assertThat(eventCount(id)).isEqualTo(4);
    }

    @Test
    void aRollbackLeavesNeitherEventsNorReadModel() throws Exception {
        String id = UUID.randomUUID().toString();

        transaction.begin();
        store().append(noStream(), OrderEvents.event(id, new OrderPlaced("bob", "USD")));
        transaction.rollback();

        assertThat(row(id)).isNull();
        assertThat(eventCount(id)).isZero();
    }

    @Test
    void aFailingProjectionRollsTheEventsBackToo() throws Exception {
        String neverPlaced = UUID.randomUUID().toString();

        assertThatThrownBy(() -> commands().addLine(neverPlaced, new OrderLineAdded("X", 1, 1)))
                .isInstanceOf(ProjectionFailedException.class)
                .hasMessageContaining("order-overview-v1").hasMessageContaining("OrderPlaced is missing");

        assertThat(eventCount(neverPlaced)).isZero();
        assertThat(row(neverPlaced)).isNull();
    }

    @Test
    void theSameTransactionSeesTheJustProjectedState() throws Exception {
        String id = UUID.randomUUID().toString();

        transaction.begin();
        store().append(noStream(), List.of(OrderEvents.event(id, new OrderPlaced("carol", "EUR")),
                OrderEvents.event(id, new OrderLineAdded("CUP", 3, 500))));
        OrderOverview seen = entityManager().find(OrderOverview.class, id);
        assertThat(seen).isNotNull();
        assertThat(seen.totalCents()).isEqualTo(1500);
        assertThat(seen.lastAppliedVersion()).isEqualTo(2);
        transaction.commit();
    }

    @Test
    void replayingTheSameEventsTwiceYieldsTheSameRow() throws Exception {
        String id = UUID.randomUUID().toString();
        commands().placeOrder(id, "dave", "GBP", List.of(new OrderLineAdded("TEA", 4, 300)), false);
        Row before = row(id);

        transaction.begin();
        List<PersistedEvent> stream = store().readAggregateStream("Order", id).events();
        ReadModelWriter writer = new ReadModelWriter(entityManager());
        List<ReadModelWriter.Outcome> outcomes = new ArrayList<>();
        for (PersistedEvent event : stream) {
            outcomes.add(writer.apply(OrderOverview.class, id, event,
                    e -> {
                        throw new AssertionError("the row exists");
                    },
                    (r, e) -> {
                        throw new AssertionError("an applied event must not be applied again");
                    }));
        }
        transaction.commit();

        assertThat(outcomes).containsOnly(ReadModelWriter.Outcome.SKIPPED);
        assertThat(row(id)).isEqualTo(before);
    }

    @Test
    void aRebuildFromTheLogReproducesTheInlineTableFor1000RandomOrders() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 1_000; i++) {
            List<OrderLineAdded> lines = new ArrayList<>();
            for (int l = random.nextInt(5); l > 0; l--) {
                lines.add(new OrderLineAdded("SKU-" + random.nextInt(50), 1 + random.nextInt(9),
                        random.nextInt(10_000)));
            }
            commands().placeOrder(UUID.randomUUID().toString(), "customer-" + random.nextInt(100),
                    random.nextBoolean() ? "EUR" : "USD", lines, random.nextInt(3) == 0);
        }
        List<Row> inline = allRows();
        List<ProjectionRebuild.Progress> progress = new ArrayList<>();
        OrderOverviewProjection projection = container.select(OrderOverviewProjection.class).get();

        ProjectionRebuild.Report report = ProjectionRebuild.builder("order-overview-v1", store(), transaction)
                .reset(() -> entityManager().createQuery("DELETE FROM OrderOverview").executeUpdate())
                .handler(projection::on)
                .aggregateTypes("Order")
                .batchSize(700)
                .onProgress(progress::add)
                .build()
                .run();

        assertThat(allRows()).hasSizeGreaterThanOrEqualTo(1_000).isEqualTo(inline);
        assertThat(report.eventsApplied()).isEqualTo(report.eventsRead());
        assertThat(report.batches()).isEqualTo(progress.size()).isGreaterThan(1);
        assertThat(progress).extracting(ProjectionRebuild.Progress::eventsApplied).isSorted();
        assertThat(progress.get(progress.size() - 1).lastPosition()).isEqualTo(report.lastPosition());
    }

    @Test
    void aFailingRebuildBatchRollsBackAndReportsTheProjection() throws Exception {
        String id = UUID.randomUUID().toString();
        commands().placeOrder(id, "erin", "EUR", List.of(), false);
        Row before = row(id);
        ProjectionRebuild rebuild = ProjectionRebuild.builder("broken", store(), transaction)
                .reset(() -> { })
                .handler(event -> {
                    throw new IllegalStateException("handler bug");
                })
                .build();

        assertThatThrownBy(rebuild::run).hasMessageContaining("Rebuild of broken failed")
                .hasMessageContaining("handler bug");
        assertThat(transaction.getStatus()).isEqualTo(Status.STATUS_NO_TRANSACTION);
        assertThat(row(id)).isEqualTo(before);
    }

    @Test
    void rebuildSettingsAreValidated() {
        assertThatThrownBy(() -> ProjectionRebuild.builder(" ", store(), transaction))
                .hasMessageContaining("projection must not be blank");
        assertThatThrownBy(() -> ProjectionRebuild.builder("p", store(), transaction).batchSize(0))
                .hasMessageContaining("batchSize must be between 1 and 10000");
        assertThatThrownBy(() -> ProjectionRebuild.builder("p", store(), transaction).aggregateTypes(""))
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> ProjectionRebuild.builder("p", store(), transaction).handler(e -> { }).build())
                .hasMessageContaining("reset must be set");
    }

    record Row(String orderId, String customer, String status, String currency, long totalCents, int lineCount,
               long version) {
    }

    private static Row row(String id) throws SQLException {
        List<Row> rows = rows("WHERE order_id = '" + id + "'");
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static List<Row> allRows() throws SQLException {
        return rows("");
    }

    private static List<Row> rows(String where) throws SQLException {
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT order_id, customer, status, currency, total_cents,"
                     + " line_count, last_applied_version FROM order_overview_v1 " + where + " ORDER BY order_id")) {
            List<Row> result = new ArrayList<>();
            while (rows.next()) {
                result.add(new Row(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getLong(5), rows.getInt(6), rows.getLong(7)));
            }
            return result;
        }
    }

    private static long eventCount(String id) throws SQLException {
        return schema.queryLong("SELECT count(*) FROM events WHERE aggregate_id = '" + id + "'");
    }

    private static EventStore store() {
        return container.select(EventStore.class).get();
    }

    private static OrderCommands commands() {
        return container.select(OrderCommands.class).get();
    }

    private static EntityManager entityManager() {
        return container.select(EntityManager.class).get();
    }
}

package dev.eventstore.cdi;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.ProjectionStatus;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.eventstore.testing.Await.await;
import static dev.eventstore.ExpectedVersion.any;
import static dev.eventstore.cdi.StoreEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rebuilds of {@code ASYNC} projection beans in Weld SE with Narayana: the bean's {@code @ProjectionReset} runs in
 * the rebuild's JTA transaction with the checkpoint row locked, and a bean without one is never rebuilt.
 */
class AsyncProjectionRebuildTest {

    private static TestSchema schema;
    private static AgroalDataSource dataSource;
    private static WeldContainer container;
    private static EventStore store;
    private static AsyncProjections projections;
    private static RebuildBeans.ResetProbe probe;
    private final UserTransaction transaction = JtaEnvironment.userTransaction();

    @BeforeAll
    static void boot() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            // No key: rows that survived a reset would show up as duplicates after the replay.
            statement.execute("CREATE TABLE rebuild_rows (projection TEXT, event_id UUID, aggregate_id TEXT,"
                    + " version BIGINT)");
        }
        dataSource = JtaEnvironment.dataSource(schema, 8);
        String channel = "es_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults().withNotifyChannel(channel),
                RebuildBeans.ResetThroughDataSource.class, RebuildBeans.ResetThroughConnection.class,
                RebuildBeans.WithoutReset.class, RebuildBeans.ResetProbe.class);
        store = container.select(EventStore.class).get();
        projections = container.select(AsyncProjections.class).get();
        probe = container.select(RebuildBeans.ResetProbe.class).get();
        probe.watch(schema);
    }

    @AfterAll
    static void shutDown() throws SQLException {
        container.close();
        dataSource.close();
        schema.close();
    }

    @Test
    void aRebuildClearsTheReadModelThroughTheBeansResetAndReplaysItExactly() throws Exception {
        assertRebuildIsExact("reset-through-datasource");
    }

    @Test
    void aResetTakingTheConnectionClearsThroughTheRebuildTransaction() throws Exception {
        assertRebuildIsExact("reset-through-connection");
    }

    private void assertRebuildIsExact(String projection) throws Exception {
        // given a caught-up read model
        appendOrders(3, 4);
        awaitCaughtUp(projection);
        List<UUID> live = rows(projection);
        assertThat(live).as("one row per event").hasSameElementsAs(eventIds()).doesNotHaveDuplicates();
        int resetsBefore = probe.runs(projection).size();

        // when it is rebuilt
        projections.rebuild(projection);
        awaitCaughtUp(projection);

        // then the reset ran once, in the rebuild's transaction with the checkpoint row locked, and the read model
        // is what it was: every event once
        assertThat(probe.runs(projection)).hasSize(resetsBefore + 1);
        RebuildBeans.ResetProbe.Run reset = probe.runs(projection).get(resetsBefore);
        assertThat(reset.transactionStatus()).isEqualTo(Status.STATUS_ACTIVE);
        assertThat(reset.checkpointLockedByRebuild()).as("checkpoint row locked while the reset runs").isTrue();
        assertThat(rows(projection)).hasSize(live.size()).hasSameElementsAs(live).doesNotHaveDuplicates();
    }

    @Test
    void aRebuildOfABeanWithoutResetIsRefusedAndWritesNothing() throws Exception {
        appendOrders(2, 3);
        awaitCaughtUp("without-reset");
        List<UUID> live = rows("without-reset");
        ProjectionStatus before = projections.status("without-reset");

        assertThatThrownBy(() -> projections.rebuild("without-reset"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Projection 'without-reset' declares no reset")
                .hasMessageContaining("nothing was changed")
                .hasMessageContaining("a method annotated @ProjectionReset");

        ProjectionStatus after = projections.status("without-reset");
        assertThat(after.lastTransactionId()).isEqualTo(before.lastTransactionId());
        assertThat(after.lastPosition()).isEqualTo(before.lastPosition());
        assertThat(after.caughtUp()).isTrue();
        assertThat(rows("without-reset")).hasSize(live.size()).hasSameElementsAs(live);
    }

    /** Appends {@code versions} events to each of {@code aggregates} new aggregates, one JTA transaction each. */
    private void appendOrders(int aggregates, int versions) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int a = 0; a < aggregates; a++) {
            ids.add(UUID.randomUUID().toString());
        }
        for (int v = 0; v < versions; v++) {
            for (String id : ids) {
                transaction.begin();
                try {
                    Event event = event(RebuildBeans.AGGREGATE_TYPE, id, "Happened");
                    store.append(any(), event);
                    transaction.commit();
                } finally {
                    if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                        transaction.rollback();
                    }
                }
            }
        }
    }

    private static void awaitCaughtUp(String projection) throws InterruptedException {
        await(() -> projections.status(projection).caughtUp(), projection + " catches up");
    }

    private static List<UUID> eventIds() throws SQLException {
        return ids("SELECT event_id FROM events WHERE aggregate_type = ?", RebuildBeans.AGGREGATE_TYPE);
    }

    private static List<UUID> rows(String projection) throws SQLException {
        return ids("SELECT event_id FROM rebuild_rows WHERE projection = ?", projection);
    }

    private static List<UUID> ids(String sql, String parameter) throws SQLException {
        try (Connection connection = schema.connect(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, parameter);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

}

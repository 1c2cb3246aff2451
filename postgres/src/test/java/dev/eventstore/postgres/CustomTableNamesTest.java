package dev.eventstore.postgres;

import dev.eventstore.AppendResult;
import dev.eventstore.EventStore;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.DuplicateEventIdException;
import dev.eventstore.Event;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;

import static dev.eventstore.ExpectedVersion.exact;
import static dev.eventstore.ExpectedVersion.noStream;
import static dev.eventstore.postgres.StoreFixture.event;
import static dev.eventstore.postgres.StoreFixture.events;
import static dev.eventstore.postgres.StoreFixture.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CustomTableNamesTest {

    private static TestSchema schema;
    private static final StoreConfig CUSTOM = StoreConfig.defaults()
            .withEventsTable("order_log").withHeadsTable("order_heads");

    @BeforeAll
    static void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(CUSTOM);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    @Test
    void everyOperationUsesTheConfiguredTables() throws SQLException {
        String id = newId();
        try (Connection connection = schema.begin()) {
            EventStore store = PostgresEventStore.create(CUSTOM).on(connection);
            AppendResult first = store.append(noStream(), events("Order", id, 2));
            store.append(exact(2), event("Order", id, "OrderConfirmed"));
            connection.commit();

            assertThat(store.readAggregateStream("Order", id).version()).isEqualTo(3);
            assertThat(store.readEvents(0, 1_000)).filteredOn(e -> e.aggregateId().equals(id)).hasSize(3);
            assertThat(store.latestGlobalPosition()).isGreaterThanOrEqualTo(first.lastGlobalPosition());
            assertThatThrownBy(() -> store.append(exact(2), event("Order", id, "Late")))
                    .isInstanceOf(OptimisticConcurrencyException.class);
            connection.rollback();
        }
        assertThat(schema.queryLong("SELECT count(*) FROM order_log WHERE aggregate_id = '" + id + "'")).isEqualTo(3);
        assertThat(schema.queryLong("SELECT aggregate_version FROM order_heads WHERE aggregate_id = '" + id + "'"))
                .isEqualTo(3);
        assertThat(schema.queryLong("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                + schema.name() + "' AND table_name IN ('events', 'aggregate_heads')")).isZero();
    }

    @Test
    void duplicateEventIdsAreRecognisedUnderCustomConstraintNames() throws SQLException {
        Event original = event("Order", newId(), "OrderPlaced");
        try (Connection connection = schema.connect()) {
            EventStore store = PostgresEventStore.create(CUSTOM).on(connection);
            store.append(noStream(), original);

            assertThatThrownBy(() -> store.append(noStream(),
                    Event.builder("Order", newId(), "Again").eventId(original.eventId()).build()))
                    .isInstanceOf(DuplicateEventIdException.class);
        }
    }

    @Test
    void schemaQualifiedTablesWorkEndToEnd() throws SQLException {
        String otherSchema = schema.name() + "_audit";
        StoreConfig qualified = StoreConfig.defaults()
                .withEventsTable(otherSchema + ".events").withHeadsTable(otherSchema + ".heads");
        try (Connection connection = TestDatabase.get().connect()) {
            connection.createStatement().execute(dev.eventstore.migration.MigrationGenerator.schemaSql(qualified));
            EventStore store = PostgresEventStore.create(qualified).on(connection);
            String id = newId();
            store.append(noStream(), events("Order", id, 2));

            assertThat(store.readAggregateStream("Order", id).version()).isEqualTo(2);
        } finally {
            try (Connection connection = TestDatabase.get().connect()) {
                connection.createStatement().execute("DROP SCHEMA IF EXISTS " + otherSchema + " CASCADE");
            }
        }
    }

    @Test
    void invalidNamesAreRejectedBeforeAnySqlIsBuilt() {
        assertThatThrownBy(() -> StoreConfig.defaults().withEventsTable("events; DROP TABLE x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid identifier");
        assertThatThrownBy(() -> StoreConfig.defaults().withEventsTable("Events"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case");
        assertThatThrownBy(() -> StoreConfig.defaults().withHeadsTable("a.b.c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one dot");
        assertThatThrownBy(() -> StoreConfig.defaults().withEventsTable("x".repeat(41)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 40");
        assertThatThrownBy(() -> StoreConfig.defaults().withNotifyChannel("bad-channel"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid identifier");
        assertThatThrownBy(() -> StoreConfig.defaults().withHeadsTable("events"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
        assertThatThrownBy(() -> StoreConfig.defaults().withEventsTable(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be blank");
    }

    @Test
    void reservedWordsAreSafeBecauseNamesAreAlwaysQuoted() throws SQLException {
        StoreConfig reserved = StoreConfig.defaults().withEventsTable("select").withHeadsTable("table");
        try (TestSchema own = TestDatabase.get().createSchema(reserved); Connection connection = own.connect()) {
            EventStore store = PostgresEventStore.create(reserved).on(connection);
            String id = newId();
            store.append(noStream(), event("Order", id, "OrderPlaced"));

            assertThat(store.readAggregateStream("Order", id).version()).isEqualTo(1);
        }
    }
}

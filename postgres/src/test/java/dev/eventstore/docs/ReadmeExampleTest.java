package dev.eventstore.docs;

import dev.eventstore.AggregateStream;
import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.PersistedEvent;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's twenty-line example (also the getting-started guide's) is region {@code quick-start} of this test and
 * runs against PostgreSQL; {@link DocSnippetsTest} holds the documents to it.
 */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleAppendsTwoEventsAndCommits() throws SQLException {
        try (TestSchema schema = TestDatabase.get().createSchema(StoreConfig.defaults())) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(schema.url());
            dataSource.setUser(schema.database().user());
            dataSource.setPassword(schema.database().password());
            String orderId = UUID.randomUUID().toString();

            // doc: quick-start begins
            PostgresEventStore store = PostgresEventStore.create(StoreConfig.defaults());   // build once, thread-safe

            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);                                          // your transaction
                EventStore events = store.on(connection);

                Event placed = Event.builder("Order", orderId, "OrderPlaced")
                        .jsonPayload("{\"customer\":\"alice\",\"currency\":\"EUR\"}")
                        .metadata("{\"tenant\":\"acme\"}")
                        .correlationId("checkout-7")
                        .build();
                events.append(ExpectedVersion.noStream(), List.of(placed));               // version 1

                AggregateStream stream = events.readAggregateStream("Order", orderId);
                events.append(ExpectedVersion.exact(stream.version()),
                        Event.builder("Order", orderId, "OrderConfirmed").build());      // version 2

                connection.commit();                                                      // the store never commits
            } catch (OptimisticConcurrencyException conflict) {
                // someone else appended first: roll back, reload the aggregate, decide again, retry
            }
            // doc: quick-start ends

            try (Connection check = dataSource.getConnection()) {
                List<PersistedEvent> stored = store.on(check).readAggregateStream("Order", orderId).events();
                assertThat(stored).extracting(PersistedEvent::eventType)
                        .containsExactly("OrderPlaced", "OrderConfirmed");
                assertThat(stored.get(0).correlationId()).isEqualTo("checkout-7");
            }
        }
    }
}

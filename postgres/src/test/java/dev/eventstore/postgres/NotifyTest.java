package dev.eventstore.postgres;

import dev.eventstore.testing.Notifications;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static dev.eventstore.ExpectedVersion.noStream;
import static dev.eventstore.postgres.StoreFixture.event;
import static dev.eventstore.postgres.StoreFixture.events;
import static dev.eventstore.postgres.StoreFixture.newId;
import static org.assertj.core.api.Assertions.assertThat;

class NotifyTest {

    private static TestSchema schema;
    private static String channel;
    private static PostgresEventStore store;

    @BeforeAll
    static void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        channel = "es_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        store = PostgresEventStore.create(StoreConfig.defaults().withNotifyChannel(channel));
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    @Test
    void aCommittedAppendNotifiesTheChannelWithTheAggregateTypeAfterCommit() throws Exception {
        try (Connection listener = listen(); Connection writer = schema.begin()) {
            store.on(writer).append(noStream(), events("Order", newId(), 3));

            assertThat(Notifications.receive(listener, 300)).as("nothing is delivered before commit").isEmpty();
            writer.commit();

            List<PGNotification> delivered = Notifications.receive(listener, 5_000);
            assertThat(delivered).extracting(PGNotification::getName).containsExactly(channel);
            assertThat(delivered).extracting(PGNotification::getParameter).containsExactly("Order");
        }
    }

    @Test
    void aRolledBackAppendNotifiesNobody() throws Exception {
        try (Connection listener = listen(); Connection writer = schema.begin()) {
            store.on(writer).append(noStream(), event("Discarded", newId(), "Happened"));
            writer.rollback();
            // A committed marker afterwards: notifications arrive in commit order, so once the marker is here any
            // notification of the rolled-back append would have arrived before it.
            store.on(writer).append(noStream(), event("Marker", newId(), "Happened"));
            writer.commit();

            List<PGNotification> delivered = Notifications.receive(listener, 5_000);
            assertThat(delivered).extracting(PGNotification::getParameter).containsExactly("Marker");
        }
    }

    @Test
    void withoutAChannelNoNotificationIsSent() throws Exception {
        try (Connection listener = listen(); Connection writer = schema.begin()) {
            PostgresEventStore.create(StoreConfig.defaults()).on(writer)
                    .append(noStream(), event("Silent", newId(), "Happened"));
            writer.commit();
            store.on(writer).append(noStream(), event("Marker", newId(), "Happened"));
            writer.commit();

            assertThat(Notifications.payloads(listener, 5_000)).containsExactly("Marker");
        }
    }

    @Test
    void anAggregateTypeTooLongForANotifyPayloadIsAppendedAndAnnouncedWithAnEmptyPayload() throws Exception {
        String longest = "L" + "x".repeat(7_998);            // 7,999 bytes: the largest payload NOTIFY takes
        String tooLong = "T" + "x".repeat(7_999);            // 8,000 bytes
        String tooLongInUtf8 = "\u00e9".repeat(4_000);       // 4,000 characters, 8,000 bytes
        String id = newId();
        try (Connection listener = listen(); Connection writer = schema.begin()) {
            // one transaction each: PostgreSQL folds identical notifications of one transaction into one
            store.on(writer).append(noStream(), event(longest, newId(), "Happened"));
            writer.commit();
            store.on(writer).append(noStream(), event(tooLong, id, "Happened"));
            writer.commit();
            store.on(writer).append(noStream(), event(tooLongInUtf8, newId(), "Happened"));
            writer.commit();

            assertThat(Notifications.payloads(listener, 5_000)).containsExactly(longest, "", "");
            assertThat(store.on(writer).readAggregateStream(tooLong, id).size()).isEqualTo(1);
        }
    }

    private static Connection listen() throws SQLException {
        return Notifications.listen(schema, channel);
    }
}

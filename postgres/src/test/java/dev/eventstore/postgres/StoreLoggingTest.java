package dev.eventstore.postgres;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.VersionRange;
import dev.eventstore.query.EventQuery;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static dev.eventstore.postgres.StoreFixture.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the store logs, captured by a real JUL handler: in plain Java SE {@code System.Logger} goes to
 * java.util.logging, as it goes to JBoss LogManager on WildFly and to JUL on Payara. System.Logger's DEBUG is JUL's
 * FINE and TRACE is FINER.
 */
class StoreLoggingTest {

    private static final PostgresEventStore STORE = PostgresEventStore.create(StoreConfig.defaults());
    /** Held strongly: JUL keeps loggers only weakly, and a collected logger would lose the level set here. */
    private static final Logger JUL = Logger.getLogger(PostgresEventStore.LOGGER_NAME);
    private static TestSchema schema;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previousLevel;
    private boolean previousUseParentHandlers;
    private Connection connection;
    private EventStore store;
    /** Unique per test, put into every payload and metadata: it must never show up in a log record. */
    private String secret;

    @BeforeAll
    static void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    @BeforeEach
    void captureTheStoreLogger() throws SQLException {
        previousLevel = JUL.getLevel();
        previousUseParentHandlers = JUL.getUseParentHandlers();
        capture.setLevel(Level.ALL);
        JUL.addHandler(capture);
        JUL.setUseParentHandlers(false);
        JUL.setLevel(Level.ALL);
        connection = schema.connect();
        store = STORE.on(connection);
        secret = "secret-" + UUID.randomUUID();
    }

    @AfterEach
    void restoreTheStoreLogger() throws SQLException {
        JUL.removeHandler(capture);
        JUL.setLevel(previousLevel);
        JUL.setUseParentHandlers(previousUseParentHandlers);
        connection.close();
    }

    private List<Event> events(String type, String id, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            events.add(Event.builder(type, id, "Happened")
                    .jsonPayload("{\"card\":\"" + secret + "-payload\"}")
                    .metadata("{\"user\":\"" + secret + "-metadata\"}")
                    .build());
        }
        return events;
    }

    private List<String> messagesAt(Level level) {
        return records.stream().filter(record -> record.getLevel().equals(level)).map(LogRecord::getMessage).toList();
    }

    private void assertNothingLoggedLeaksPayloadOrMetadata() {
        assertThat(records).isNotEmpty().allSatisfy(record -> {
            assertThat(record.getMessage()).doesNotContain(secret);
            assertThat(record.getParameters()).isNull();
            assertThat(record.getThrown()).isNull();
        });
    }

    @Test
    void appendsAreLoggedAtDebugWithAggregateExpectationVersionsAndTime() {
        String id = newId();

        store.append(ExpectedVersion.noStream(), events("Order", id, 2));
        store.append(ExpectedVersion.any(), events("Order", id, 3));
        store.append(ExpectedVersion.exact(5), events("Order", id, 1));

        assertThat(messagesAt(Level.FINE)).hasSize(3);
        assertThat(messagesAt(Level.FINE).get(0)).startsWith("append Order/" + id + " expected noStream()")
                .contains("versions 1..2 (2 events)").matches(".* in \\d+\\.\\d ms");
        assertThat(messagesAt(Level.FINE).get(1)).startsWith("append Order/" + id + " expected any()")
                .contains("versions 3..5 (3 events)");
        assertThat(messagesAt(Level.FINE).get(2)).startsWith("append Order/" + id + " expected exact(5)")
                .contains("version 6 (1 event)");
        assertThat(records).allSatisfy(record -> assertThat(record.getLoggerName())
                .isEqualTo(PostgresEventStore.LOGGER_NAME));
        assertNothingLoggedLeaksPayloadOrMetadata();
    }

    @Test
    void conflictsAreLoggedAtDebugWithExpectedAndActualVersion() {
        String id = newId();
        store.append(ExpectedVersion.noStream(), events("Order", id, 3));
        records.clear();

        assertThatThrownBy(() -> store.append(ExpectedVersion.exact(1), events("Order", id, 2)))
                .isInstanceOf(OptimisticConcurrencyException.class);

        assertThat(messagesAt(Level.FINE)).singleElement().asString()
                .startsWith("conflict Order/" + id + " expected exact(1), actual version 3")
                .contains("2 events, nothing written").matches(".* in \\d+\\.\\d ms");
        assertNothingLoggedLeaksPayloadOrMetadata();
    }

    @Test
    void readsAreLoggedAtTraceWithTheirParametersRowCountAndTime() {
        String id = newId();
        store.append(ExpectedVersion.noStream(), events("Invoice", id, 4));
        long start = store.latestGlobalPosition() - 4;
        records.clear();

        store.readAggregateStream("Invoice", id, VersionRange.between(2, 3));
        store.readEvents(start, 10);
        store.latestGlobalPosition();
        EventQuery query = EventQuery.builder().aggregateType("Invoice").aggregateId(id)
                .metadataContains("{\"user\":\"" + secret + "-metadata\"}").build();
        store.query(query);
        store.count(query);

        List<String> trace = messagesAt(Level.FINER);
        assertThat(trace).hasSize(5);
        assertThat(trace.get(0)).startsWith("read stream Invoice/" + id + " versions [2..3]: 2 events")
                .matches(".* in \\d+\\.\\d ms");
        assertThat(trace.get(1)).startsWith("read events after position " + start + " limit 10: 4 events");
        assertThat(trace.get(2)).startsWith("latest global position " + (start + 4));
        assertThat(trace.get(3)).startsWith("query ").contains("aggregateTypes=[Invoice]")
                .contains("aggregateId=" + id).contains("metadataContains=(not logged)").contains(": 4 events");
        assertThat(trace.get(4)).startsWith("count ").contains("aggregateId=" + id).contains(": 4 in ")
                .as("a count ignores paging, so its line shows none").doesNotContain("limit");
        assertThat(messagesAt(Level.FINE)).isEmpty();
        assertNothingLoggedLeaksPayloadOrMetadata();
    }

    @Test
    void aStreamIsLoggedAtTraceWhenClosedWithTheEventsItDelivered() throws SQLException {
        String id = newId();
        store.append(ExpectedVersion.noStream(), events("Ledger", id, 3));
        records.clear();

        connection.setAutoCommit(false);
        try (Stream<dev.eventstore.PersistedEvent> events = store.stream(EventQuery.builder().aggregateId(id)
                .build())) {
            assertThat(events.count()).isEqualTo(3);
            assertThat(records).as("logged when closed, once the count is known").isEmpty();
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }

        assertThat(messagesAt(Level.FINER)).singleElement().asString().startsWith("stream ")
                .contains("aggregateId=" + id).contains("no limit").contains(": 3 events")
                .matches(".* in \\d+\\.\\d ms");
        assertNothingLoggedLeaksPayloadOrMetadata();
    }

    @Test
    void atDebugReadsAreNotLoggedAndAtInfoNothingIs() {
        String id = newId();
        JUL.setLevel(Level.FINE);

        store.append(ExpectedVersion.noStream(), events("Order", id, 1));
        store.readAggregateStream("Order", id);

        assertThat(records).extracting(LogRecord::getLevel).containsExactly(Level.FINE);

        records.clear();
        JUL.setLevel(Level.INFO);
        store.append(ExpectedVersion.exact(1), events("Order", id, 1));
        assertThatThrownBy(() -> store.append(ExpectedVersion.exact(1), events("Order", id, 1)))
                .isInstanceOf(OptimisticConcurrencyException.class);
        store.readAggregateStream("Order", id);
        store.readEvents(0, 5);

        assertThat(records).isEmpty();
    }
}

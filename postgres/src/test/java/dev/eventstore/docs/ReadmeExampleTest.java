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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's twenty-line example is this test's code, character for character (indentation aside), and it runs
 * against PostgreSQL: the README cannot drift from code that works.
 */
class ReadmeExampleTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path GETTING_STARTED = Path.of("..", "docs", "getting-started-java.md");
    private static final Path SOURCE = Path.of("src", "test", "java", "dev", "eventstore", "docs",
            "ReadmeExampleTest.java");

    @Test
    void theReadmeExampleIsThisTestsCode() throws IOException {
        assertThat(normalized(firstJavaBlockAfter(README, "## In twenty lines"))).isEqualTo(testedCode());
    }

    @Test
    void theGettingStartedGuideShowsTheSameCode() throws IOException {
        assertThat(normalized(firstJavaBlockAfter(GETTING_STARTED, "## Quick start in plain Java")))
                .isEqualTo(testedCode());
    }

    private static String firstJavaBlockAfter(Path document, String heading) throws IOException {
        Matcher block = Pattern.compile(Pattern.quote(heading) + ".*?```java\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(document));
        assertThat(block.find()).as(document + " has a java block under '" + heading + "'").isTrue();
        return block.group(1);
    }

    private static String testedCode() throws IOException {
        Matcher marked = Pattern.compile("// README example begins\\n(.*?)\\n\\s*// README example ends",
                Pattern.DOTALL).matcher(Files.readString(SOURCE));
        assertThat(marked.find()).isTrue();
        return normalized(marked.group(1));
    }

    @Test
    void theReadmeExampleAppendsTwoEventsAndCommits() throws SQLException {
        try (TestSchema schema = TestDatabase.get().createSchema(StoreConfig.defaults())) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(schema.url());
            dataSource.setUser(schema.database().user());
            dataSource.setPassword(schema.database().password());
            String orderId = UUID.randomUUID().toString();

            // README example begins
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
            // README example ends

            try (Connection check = dataSource.getConnection()) {
                List<PersistedEvent> stored = store.on(check).readAggregateStream("Order", orderId).events();
                assertThat(stored).extracting(PersistedEvent::eventType)
                        .containsExactly("OrderPlaced", "OrderConfirmed");
                assertThat(stored.get(0).correlationId()).isEqualTo("checkout-7");
            }
        }
    }

    /** Each line without its leading indentation, blank lines kept. */
    private static String normalized(String code) {
        return code.lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElse("").strip();
    }
}

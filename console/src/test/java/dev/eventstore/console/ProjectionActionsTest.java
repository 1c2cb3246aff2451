package dev.eventstore.console;

import dev.eventstore.Event;
import dev.eventstore.EventStore;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.console.ConsoleTestBeans.Tickets;
import dev.eventstore.console.ProjectionViews.ProjectionView;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.eventstore.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The projection actions in Weld SE with Narayana, on the runtime the CDI extension starts: a projection parked on a
 * poisoned event is shown with the failing event and unparked after the fix; pause, resume and rebuild; refusals
 * change nothing; every action is logged with user and projection.
 */
class ProjectionActionsTest {

    private static TestSchema schema;
    private static AgroalDataSource dataSource;
    private static WeldContainer container;
    private static ProjectionActions actions;
    private static final List<String> LOG = new CopyOnWriteArrayList<>();
    /** Held: java.util.logging keeps loggers weakly, and a collected one would come back without the handler. */
    private static final Logger ACTION_LOGGER = Logger.getLogger(ProjectionActions.class.getName());
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOG.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void boot() throws SQLException {
        System.setProperty("eventstore.async.max-failures", "2");
        System.setProperty("eventstore.async.backoff-initial", "10ms");
        System.setProperty("eventstore.async.backoff-max", "20ms");
        System.setProperty("eventstore.async.poll-interval", "50ms");
        ACTION_LOGGER.addHandler(CAPTURE);
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        dataSource = JtaEnvironment.dataSource(schema, 6);
        container = CdiTestContainer.start(dataSource, StoreConfig.defaults(), ProjectionActions.class,
                Tickets.class, ConsoleTestBeans.WithoutReset.class);
        actions = container.select(ProjectionActions.class).get();
        container.select(EventStore.class).get();   // the runtime starts with the application
    }

    @AfterAll
    static void shutDown() throws SQLException {
        ACTION_LOGGER.removeHandler(CAPTURE);
        System.clearProperty("eventstore.async.max-failures");
        System.clearProperty("eventstore.async.backoff-initial");
        System.clearProperty("eventstore.async.backoff-max");
        System.clearProperty("eventstore.async.poll-interval");
        container.close();
        dataSource.close();
        schema.close();
    }

    /** Each test starts from a running projection that handles everything, whatever the one before left. */
    @BeforeEach
    void running() throws InterruptedException {
        Tickets.REFUSE_POISON.set(false);
        actions.act(ConsoleTestBeans.TICKETS, ProjectionAction.RESUME, Optional.empty(), "test-setup");
        awaitState("RUNNING");
    }

    private static void append(String eventType) throws SQLException {
        try (Connection connection = schema.connect()) {
            EventStore store = PostgresEventStore.create(StoreConfig.defaults()).on(connection);
            store.append(ExpectedVersion.noStream(), Event.builder(ConsoleTestBeans.AGGREGATE_TYPE,
                    UUID.randomUUID().toString(), eventType).build());
        }
    }

    private static ProjectionView tickets() {
        return actions.one(ConsoleTestBeans.TICKETS);
    }

    private static void awaitState(String state) throws InterruptedException {
        await(() -> tickets().state().equals(state) && (!state.equals("RUNNING") || tickets().caughtUp()),
                () -> "tickets " + state + ", was " + tickets());
    }

    @Test
    void everyProjectionIsListedWithItsSegment() {
        assertThat(actions.all()).extracting(ProjectionView::name)
                .containsExactlyInAnyOrder(ConsoleTestBeans.TICKETS, ConsoleTestBeans.NO_RESET);
        assertThat(tickets().segments()).hasSize(1);
    }

    @Test
    void aParkedProjectionShowsItsFailingEventAndAnOperatorUnparksItAfterTheFix() throws Exception {
        // given a projection parked on a poisoned event
        Tickets.REFUSE_POISON.set(true);
        append("Poison");
        awaitState("PARKED");
        ProjectionView parked = tickets();
        assertThat(parked.lastError()).contains("poisoned on purpose");
        assertThat(parked.failedPosition()).isNotNull();
        assertThat(parked.segments().get(0).state()).isEqualTo("PARKED");

        // when the cause is fixed and an operator unparks it
        Tickets.REFUSE_POISON.set(false);
        ProjectionView after = actions.act(ConsoleTestBeans.TICKETS, ProjectionAction.UNPARK, Optional.empty(), "olga");

        // then it runs and catches up, and the action is logged with the user
        assertThat(after.state()).isEqualTo("RUNNING");
        awaitState("RUNNING");
        assertThat(LOG).anyMatch(line -> line.contains("olga did unpark on projection tickets"));
    }

    @Test
    void unparkOfAProjectionThatIsNotParkedIsRefusedAndChangesNothing() throws Exception {
        Tickets.REFUSE_POISON.set(false);
        actions.act(ConsoleTestBeans.TICKETS, ProjectionAction.PAUSE, Optional.empty(), "olga");

        assertThatThrownBy(() -> actions.act(ConsoleTestBeans.TICKETS, ProjectionAction.UNPARK, Optional.empty(),
                "olga")).isInstanceOf(RefusedRequest.class).hasMessageContaining("is not parked")
                .satisfies(e -> assertThat(((RefusedRequest) e).status()).isEqualTo(409));

        assertThat(tickets().state()).isEqualTo("PAUSED");
        assertThat(LOG).anyMatch(line -> line.contains("olga was refused unpark on projection tickets"));
        actions.act(ConsoleTestBeans.TICKETS, ProjectionAction.RESUME, Optional.empty(), "olga");
        awaitState("RUNNING");
    }

    @Test
    void aPausedProjectionHandlesNothingUntilResumed() throws Exception {
        Tickets.REFUSE_POISON.set(false);
        awaitState("RUNNING");
        ProjectionView paused = actions.act(ConsoleTestBeans.TICKETS, ProjectionAction.PAUSE, Optional.of(0), "olga");
        assertThat(paused.state()).isEqualTo("PAUSED");

        append("Opened");
        assertThat(tickets().lagEvents()).isEqualTo(1);
        assertThat(tickets().state()).isEqualTo("PAUSED");

        actions.act(ConsoleTestBeans.TICKETS, ProjectionAction.RESUME, Optional.of(0), "olga");
        awaitState("RUNNING");
        assertThat(LOG).anyMatch(line -> line.contains("olga did pause on projection tickets segment 0"));
    }

    @Test
    void aRebuildRunsTheResetAndReplays() throws Exception {
        Tickets.REFUSE_POISON.set(false);
        append("Opened");
        awaitState("RUNNING");
        int resets = Tickets.RESETS.get();

        actions.act(ConsoleTestBeans.TICKETS, ProjectionAction.REBUILD, Optional.empty(), "olga");

        assertThat(Tickets.RESETS.get()).isEqualTo(resets + 1);
        awaitState("RUNNING");
        assertThat(Tickets.HANDLED.get()).isPositive();
    }

    @Test
    void refusalsNameTheProblem() {
        assertThatThrownBy(() -> actions.act(ConsoleTestBeans.NO_RESET, ProjectionAction.REBUILD, Optional.empty(),
                "olga")).isInstanceOf(RefusedRequest.class)
                .satisfies(e -> assertThat(((RefusedRequest) e).status()).isEqualTo(409));
        assertThatThrownBy(() -> actions.act("nope", ProjectionAction.PAUSE, Optional.empty(), "olga"))
                .isInstanceOf(RefusedRequest.class).hasMessageContaining("No asynchronous projection named 'nope'")
                .satisfies(e -> assertThat(((RefusedRequest) e).status()).isEqualTo(404));
        assertThatThrownBy(() -> actions.act(ConsoleTestBeans.TICKETS, ProjectionAction.PAUSE, Optional.of(3),
                "olga")).isInstanceOf(RefusedRequest.class).hasMessageContaining("segment must be one of")
                .satisfies(e -> assertThat(((RefusedRequest) e).status()).isEqualTo(400));
        assertThatThrownBy(() -> actions.act(ConsoleTestBeans.TICKETS, ProjectionAction.REBUILD, Optional.of(0),
                "olga")).isInstanceOf(RefusedRequest.class).hasMessageContaining("leave out segment");
        assertThatThrownBy(() -> ProjectionAction.parse("delete")).isInstanceOf(RefusedRequest.class)
                .hasMessageContaining("pause, resume, unpark or rebuild");
        assertThat(tickets().state()).isNotEqualTo("PAUSED");
    }
}

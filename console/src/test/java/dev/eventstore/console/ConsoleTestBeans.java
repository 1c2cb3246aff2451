package dev.eventstore.console;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import dev.eventstore.projection.ProjectionReset;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Asynchronous projections for the console's tests: one that parks on "Poison" events, one without reset. */
final class ConsoleTestBeans {

    static final String TICKETS = "tickets";
    static final String NO_RESET = "no-reset";
    static final String AGGREGATE_TYPE = "Ticket";

    private ConsoleTestBeans() {
    }

    @ApplicationScoped
    @Projection(name = TICKETS, aggregateTypes = AGGREGATE_TYPE, mode = ProjectionMode.ASYNC)
    public static class Tickets {
        static final AtomicBoolean REFUSE_POISON = new AtomicBoolean(true);
        static final AtomicInteger HANDLED = new AtomicInteger();
        static final AtomicInteger RESETS = new AtomicInteger();

        @EventHandler
        public void on(PersistedEvent event) {
            if (event.eventType().equals("Poison") && REFUSE_POISON.get()) {
                throw new IllegalStateException("poisoned on purpose");
            }
            HANDLED.incrementAndGet();
        }

        @ProjectionReset
        public void reset() {
            RESETS.incrementAndGet();
            HANDLED.set(0);
        }
    }

    @ApplicationScoped
    @Projection(name = NO_RESET, aggregateTypes = "Nothing", mode = ProjectionMode.ASYNC)
    public static class WithoutReset {
        @EventHandler
        public void on(PersistedEvent event) {
        }
    }
}

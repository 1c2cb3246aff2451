package dev.eventstore.cdi;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import dev.eventstore.projection.ProjectionReset;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;

import java.sql.Connection;

/** Projection definitions the extension must reject at deployment, one rule each. */
final class BadProjections {

    private BadProjections() {
    }

    @ApplicationScoped
    @Projection(name = "twice")
    public static class FirstOfTwins {
        @EventHandler
        public void on(PersistedEvent event) {
        }
    }

    @ApplicationScoped
    @Projection(name = "twice", mode = ProjectionMode.ASYNC)
    public static class SecondOfTwins {
        @EventHandler
        public void on(PersistedEvent event) {
        }
    }

    @ApplicationScoped
    @Projection(name = "no-handler")
    public static class WithoutHandler {
        public void on(PersistedEvent event) {
        }
    }

    @ApplicationScoped
    @Projection(name = "two-parameters")
    public static class WithTwoParameters {
        @EventHandler
        public void on(PersistedEvent event, String extra) {
        }
    }

    @ApplicationScoped
    @Projection(name = "wrong-parameter")
    public static class WithWrongParameter {
        @EventHandler
        public void on(String event) {
        }
    }

    @ApplicationScoped
    @Projection(name = "not-public")
    public static class WithPackagePrivateHandler {
        @EventHandler
        void on(PersistedEvent event) {
        }
    }

    @ApplicationScoped
    @Projection(name = "returns-value")
    public static class WithReturningHandler {
        @EventHandler
        public String on(PersistedEvent event) {
            return "";
        }
    }

    @RequestScoped
    @Projection(name = "request-scoped")
    public static class RequestScopedProjection {
        @EventHandler
        public void on(PersistedEvent event) {
        }
    }

    @ApplicationScoped
    @Projection(name = " ")
    public static class BlankName {
        @EventHandler
        public void on(PersistedEvent event) {
        }
    }

    @ApplicationScoped
    @Projection(name = "blank-type", aggregateTypes = {"Order", ""})
    public static class BlankAggregateType {
        @EventHandler
        public void on(PersistedEvent event) {
        }
    }

    @ApplicationScoped
    @Projection(name = "upcast-version")
    public static class WithUpcastVersion {
        @EventHandler
        public void on(dev.eventstore.mapping.order.events.v1.OrderPlaced event) {
        }
    }

    @ApplicationScoped
    @Projection(name = "two-resets", mode = ProjectionMode.ASYNC)
    public static class WithTwoResets {
        @EventHandler
        public void on(PersistedEvent event) {
        }

        @ProjectionReset
        public void reset() {
        }

        @ProjectionReset
        public void clear(Connection connection) {
        }
    }

    @ApplicationScoped
    @Projection(name = "reset-wrong-parameter", mode = ProjectionMode.ASYNC)
    public static class WithResetTakingWrongParameter {
        @EventHandler
        public void on(PersistedEvent event) {
        }

        @ProjectionReset
        public void reset(String table) {
        }
    }

    @ApplicationScoped
    @Projection(name = "reset-not-public", mode = ProjectionMode.ASYNC)
    public static class WithPackagePrivateReset {
        @EventHandler
        public void on(PersistedEvent event) {
        }

        @ProjectionReset
        void reset() {
        }
    }

    @ApplicationScoped
    @Projection(name = "reset-returns-value", mode = ProjectionMode.ASYNC)
    public static class WithResetReturningValue {
        @EventHandler
        public void on(PersistedEvent event) {
        }

        @ProjectionReset
        public int reset() {
            return 0;
        }
    }

    @ApplicationScoped
    @Projection(name = "static-reset", mode = ProjectionMode.ASYNC)
    public static class WithStaticReset {
        @EventHandler
        public void on(PersistedEvent event) {
        }

        @ProjectionReset
        public static void reset() {
        }
    }

    @ApplicationScoped
    @Projection(name = "inline-with-reset")
    public static class InlineWithReset {
        @EventHandler
        public void on(PersistedEvent event) {
        }

        @ProjectionReset
        public void reset() {
        }
    }

    @ApplicationScoped
    @Projection(name = "no-segments", mode = ProjectionMode.ASYNC, segments = 0)
    public static class WithZeroSegments {
        @EventHandler
        public void on(PersistedEvent event) {
        }
    }

    @ApplicationScoped
    @Projection(name = "too-many-segments", mode = ProjectionMode.ASYNC, segments = 257)
    public static class WithTooManySegments {
        @EventHandler
        public void on(PersistedEvent event) {
        }
    }

    @ApplicationScoped
    @Projection(name = "inline-with-segments", segments = 4)
    public static class InlineWithSegments {
        @EventHandler
        public void on(PersistedEvent event) {
        }
    }
}

package dev.eventstore.cdi;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;

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
}

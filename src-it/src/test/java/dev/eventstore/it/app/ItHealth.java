package dev.eventstore.it.app;

import dev.eventstore.cdi.health.EventStoreLiveness;
import dev.eventstore.cdi.health.EventStoreReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** The store's health checks, declared by the application as docs/jakarta-ee.md shows. */
public final class ItHealth {

    private ItHealth() {
    }

    @Readiness
    @ApplicationScoped
    public static class StoreReadiness extends EventStoreReadiness {
    }

    @Liveness
    @ApplicationScoped
    public static class StoreLiveness extends EventStoreLiveness {
    }
}

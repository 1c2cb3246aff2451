package dev.eventstore.sample;

import dev.eventstore.cdi.health.EventStoreLiveness;
import dev.eventstore.cdi.health.EventStoreReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** The store's readiness and liveness checks, served by the server at {@code /health}: one declaration each. */
public final class StoreHealthChecks {

    private StoreHealthChecks() {
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

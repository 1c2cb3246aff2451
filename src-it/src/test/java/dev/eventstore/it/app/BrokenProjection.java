package dev.eventstore.it.app;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.Projection;
import jakarta.enterprise.context.ApplicationScoped;

/** Deployed on purpose by {@code BrokenProjectionIT}: no handler method, so the deployment must fail. */
@ApplicationScoped
@Projection(name = "broken")
public class BrokenProjection {

    public void forgotTheAnnotation(PersistedEvent event) {
    }
}

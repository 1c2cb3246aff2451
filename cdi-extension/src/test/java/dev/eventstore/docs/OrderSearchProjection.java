package dev.eventstore.docs;

import dev.eventstore.PersistedEvent;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The segmented projection of docs/jakarta-ee.md, deployed by {@link JakartaEeDocTest}. */
// doc: segmented-projection begins
@ApplicationScoped
@Projection(name = "order-search", aggregateTypes = "Order", mode = ProjectionMode.ASYNC, segments = 4)
public class OrderSearchProjection {
    @Inject SearchIndex index;                              // slow: a remote search index

    @EventHandler
    public void on(PersistedEvent event) { index.put(event); }
}
// doc: segmented-projection ends

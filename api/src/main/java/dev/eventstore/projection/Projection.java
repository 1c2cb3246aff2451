package dev.eventstore.projection;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a CDI bean as a projection: something that turns persisted events into a read model through its
 * {@link EventHandler} methods.
 *
 * <p>The bean also needs a bean-defining scope: {@code @ApplicationScoped}, {@code @Dependent} or
 * {@code @jakarta.inject.Singleton}. Definitions are validated when the application deploys; a broken projection
 * fails the deployment with a message naming the class, never the first request.
 *
 * <pre>{@code
 * @ApplicationScoped
 * @Projection(name = "order-overview-v1", aggregateTypes = "Order")
 * public class OrderOverviewProjection {
 *     @PersistenceContext EntityManager entityManager;
 *
 *     @EventHandler
 *     public void on(OrderPlaced placed, PersistedEvent event) { ... }   // a generated mapper's event
 *
 *     @EventHandler
 *     public void on(PersistedEvent event) { ... }                       // every event, undecoded
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Projection {

    /** Unique, stable name: used in error messages and as the checkpoint key of asynchronous projections. */
    String name();

    /** Aggregate types whose events this projection receives; empty means all. */
    String[] aggregateTypes() default {};

    /** When the projection runs relative to the append; {@link ProjectionMode#INLINE} by default. */
    ProjectionMode mode() default ProjectionMode.INLINE;

    /**
     * For an {@link ProjectionMode#ASYNC} projection: how many segments share its events, each with its own
     * checkpoint and lease, so several nodes can run it at once. An aggregate's events always fall into the same
     * segment, in version order; there is no order across segments. Between 1 (the default: one node at a time, in
     * (transaction id, position) order) and 256. Changing it needs a rebuild of the projection.
     */
    int segments() default 1;
}

package dev.eventstore.projection;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method of an {@link ProjectionMode#ASYNC ASYNC} {@link Projection} bean that clears its read model
 * before a rebuild. Without one, a rebuild of the projection is refused: it would replay every event onto the read
 * model it already has.
 *
 * <p>The method is public, not static, returns {@code void} and takes nothing or one {@code java.sql.Connection}.
 * It runs in the rebuild's transaction, after the projection's checkpoint row is locked (so no batch is in flight)
 * and before the checkpoint goes back to the start; a failure rolls the whole rebuild back. An {@code EntityManager}
 * or datasource of the bean joins that transaction; the {@code Connection}, when taken, is the one the checkpoint
 * is reset through. A projection bean has at most one such method; an empty one declares a read model that needs no
 * clearing.
 *
 * <pre>{@code
 * @Stateless
 * @Projection(name = "customer-totals-v1", aggregateTypes = "Order", mode = ProjectionMode.ASYNC)
 * public class CustomerTotalsProjection {
 *     @PersistenceContext EntityManager entityManager;
 *
 *     @ProjectionReset
 *     public void reset() {
 *         entityManager.createQuery("DELETE FROM CustomerTotals").executeUpdate();
 *     }
 *     ...
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ProjectionReset {
}

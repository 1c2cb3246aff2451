package dev.eventstore.projection;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link Projection} bean that handles events. The method is public, not static, returns
 * {@code void} and takes either
 * <ul>
 *   <li>one {@link dev.eventstore.PersistedEvent}: called for every event the projection receives; or</li>
 *   <li>one domain event of a generated {@link dev.eventstore.mapping.EventMapper}, optionally followed by the
 *       {@link dev.eventstore.PersistedEvent} (for its version, position or metadata): called for the events of that
 *       mapper's aggregate type that decode, after upcasting, to exactly that class.</li>
 * </ul>
 * Handlers are called once per matching event, in global order within one append; a payload that does not decode
 * fails the projection like an exception from the handler.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface EventHandler {
}

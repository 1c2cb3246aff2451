package dev.eventstore.projection;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link Projection} bean that handles events. The method is public, not static, returns
 * {@code void} and takes exactly one {@link dev.eventstore.PersistedEvent} parameter. It is called once per matching
 * event, in global order within one append.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface EventHandler {
}

package dev.eventstore.mapping;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public static method that turns an old version of an event into a newer one when events are read, for
 * example {@code static v2.OrderPlaced upcast(v1.OrderPlaced old)}. Both types must be events of the same
 * {@link EventFamily}, which lists the method's class in {@link EventFamily#upcasters()}. Upcasters chain: a v1 event
 * passes through v1-to-v2 and then v2-to-v3. The stored event is never changed.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Upcast {
}

package dev.eventstore.mapping;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the stored event type name or schema version of one event class, or gives it a topic. The name and version
 * are needed only when the defaults (simple class name; version from a {@code vN} package segment, else 1) do not
 * fit, for example after renaming a class whose old name is already in the log. A topic is given like this:
 * {@code @EventType(topic = "order.lifecycle.placed") public record OrderPlaced(String customer) {}}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface EventType {

    /** The stored event type; the simple class name when empty. */
    String name() default "";

    /** The schema version, {@code >= 1}; {@code 0} (the default) means: from the package name. */
    int version() default 0;

    /**
     * The topic every event of this class gets, for example {@code order.lifecycle.placed}: dotted words of ASCII
     * letters, digits, {@code _} and {@code -} (checked at compile time); none when empty. A
     * {@link MappingOption#topic(String)} given when mapping overrides it.
     */
    String topic() default "";
}

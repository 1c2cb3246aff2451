package dev.eventstore.mapping;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the events of one aggregate; the annotation processor generates an {@link EventMapper} for them in the
 * package of the annotated type.
 *
 * <p>Each listed class is a plain record (or a class JSON-B can read) with no dependency on the store. Its event type
 * is its simple name unless {@link EventType#name()} says otherwise; its schema version comes from the package: the
 * last package segment {@code v1}, {@code v2}... gives 1, 2..., no such segment gives 1, and
 * {@link EventType#version()} overrides it. Two classes claiming the same type and version fail the compilation.
 *
 * <pre>{@code
 * @EventFamily(aggregateType = "Order",
 *         events = {OrderPlaced.class, OrderShipped.class, com.acme.order.events.v2.OrderPlaced.class},
 *         upcasters = OrderUpcasters.class)
 * public interface OrderEvents {
 * }
 * // generates com.acme.order.OrderEventMapper
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface EventFamily {

    /** Aggregate type of the events; the simple name of the annotated type when empty. */
    String aggregateType() default "";

    /** The event classes of this aggregate, every schema version of each event included. */
    Class<?>[] events();

    /** Classes whose public static {@link Upcast} methods turn old versions into new ones when events are read. */
    Class<?>[] upcasters() default {};

    /**
     * Simple name of the generated mapper. When empty: the annotated type's simple name without a trailing
     * {@code Events}, followed by {@code EventMapper} ({@code Order} and {@code OrderEvents} both give
     * {@code OrderEventMapper}).
     */
    String mapperName() default "";
}

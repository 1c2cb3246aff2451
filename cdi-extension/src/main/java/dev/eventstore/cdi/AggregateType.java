package dev.eventstore.cdi;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;

import java.io.Serial;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Qualifier of the CDI events the store fires after each append, so observers can pick one aggregate type:
 * {@code void on(@Observes @AggregateType("Order") PersistedEvent event)}. An observer without it sees every event.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
public @interface AggregateType {

    /** The aggregate type, as in {@link dev.eventstore.Event#aggregateType()}. */
    String value();

    /** An instance of the qualifier, for firing and selecting programmatically. */
    final class Literal extends AnnotationLiteral<AggregateType> implements AggregateType {

        @Serial
        private static final long serialVersionUID = 1L;

        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        public static Literal of(String aggregateType) {
            return new Literal(aggregateType);
        }

        @Override
        public String value() {
            return value;
        }
    }
}

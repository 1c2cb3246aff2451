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
 * Qualifies the JTA {@link javax.sql.DataSource} the injected store should use, when the application prefers a
 * producer over a JNDI name:
 * <pre>{@code
 * @Produces @EventStoreDataSource
 * @Resource(lookup = "java:jboss/datasources/OrdersDS")
 * DataSource ordersDataSource;
 * }</pre>
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
public @interface EventStoreDataSource {

    /** An instance of the qualifier, for programmatic lookup. */
    final class Literal extends AnnotationLiteral<EventStoreDataSource> implements EventStoreDataSource {

        @Serial
        private static final long serialVersionUID = 1L;

        public static final Literal INSTANCE = new Literal();

        private Literal() {
        }
    }
}

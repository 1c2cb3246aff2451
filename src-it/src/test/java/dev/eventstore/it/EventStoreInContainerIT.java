package dev.eventstore.it;

import dev.eventstore.TransactionRequiredException;
import dev.eventstore.it.app.ItAppender;
import dev.eventstore.it.app.ItObservers;
import dev.eventstore.it.app.ItProjection;
import dev.eventstore.it.app.ItRow;
import dev.eventstore.it.app.ItSchema;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The injected store inside WildFly: EJB container-managed transactions, JPA inline projection, observers. */
@ExtendWith(ArquillianExtension.class)
class EventStoreInContainerIT {

    @EJB
    ItAppender appender;

    @Inject
    ItObservers observers;

    @Deployment
    static WebArchive deployment() {
        return ItArchives.war("eventstore-it.war")
                .addClasses(EventStoreInContainerIT.class, ItArchives.class, ItAppender.class, ItObservers.class,
                        ItProjection.class, ItRow.class, ItSchema.class)
                .addAsResource("it/persistence.xml", "META-INF/persistence.xml");
    }

    @Test
    void anEjbAppendsThroughTheInjectedStoreAndTheJpaProjectionCommitsWithIt() {
        String id = UUID.randomUUID().toString();

        appender.place(id, "Placed", "LineAdded");

        assertEquals(2, appender.events(id));
        assertEquals(2, appender.rows(id));
        assertEquals(List.of("Placed", "LineAdded"), observers.committedTypes(id));
    }

    @Test
    void anExceptionAfterTheAppendRollsBackEventsRowsAndNotifications() {
        String id = UUID.randomUUID().toString();

        assertThrows(EJBException.class, () -> appender.placeThenThrow(id));

        assertEquals(0, appender.events(id));
        assertEquals(0, appender.rows(id));
        assertEquals(List.of(), observers.committedTypes(id));
    }

    @Test
    void setRollbackOnlyRollsTheAppendBack() {
        String id = UUID.randomUUID().toString();

        appender.placeThenSetRollbackOnly(id);

        assertEquals(0, appender.events(id));
        assertEquals(0, appender.rows(id));
        assertEquals(List.of(), observers.committedTypes(id));
    }

    @Test
    void withoutATransactionTheStoreRefusesAndWritesNothing() {
        String id = UUID.randomUUID().toString();

        EJBException failure = assertThrows(EJBException.class, () -> appender.placeWithoutTransaction(id));

        assertTrue(causedBy(failure, TransactionRequiredException.class), () -> "unexpected cause: " + failure);
        assertEquals(0, appender.events(id));
        assertEquals(0, appender.rows(id));
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}

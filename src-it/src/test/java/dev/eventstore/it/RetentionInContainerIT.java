package dev.eventstore.it;

import dev.eventstore.it.app.ItAppender;
import dev.eventstore.it.app.ItRetention;
import dev.eventstore.it.app.ItRow;
import dev.eventstore.it.app.ItSchema;
import dev.eventstore.it.app.ItAsyncRow;
import dev.eventstore.maintenance.RetentionFigures;
import jakarta.ejb.EJB;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Opt-in retention inside the server: scheduled on the container's managed executor, deleting only its scope. */
@ExtendWith(ArquillianExtension.class)
class RetentionInContainerIT {

    @EJB
    ItAppender appender;

    @EJB
    ItRetention retention;

    @Deployment
    static WebArchive deployment() {
        return ItArchives.war("eventstore-retention-it.war")
                .addClasses(RetentionInContainerIT.class, ItArchives.class, ItAppender.class, ItRetention.class,
                        ItRow.class, ItAsyncRow.class, ItSchema.class)
                .addAsResource("it/persistence.xml", "META-INF/persistence.xml");
    }

    @Test
    void aScheduledRunOnTheManagedExecutorDeletesItsScopeAndNothingElse() throws Exception {
        String expiring = "ItExpiring-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        String kept = UUID.randomUUID().toString();
        appender.placeOfType(expiring, id, "A", "B", "C");
        appender.place(kept, "Placed");
        Thread.sleep(5); // older than the manager's one-millisecond retention period

        RetentionFigures figures = retention.firstScheduledRun(expiring);

        assertEquals(1, figures.runs(), "one successful run: " + figures);
        assertEquals(0, figures.failedRuns(), "no failed run: " + figures);
        assertEquals(3, figures.eventsDeleted());
        assertEquals(0, appender.events(expiring, id));
        assertEquals(1, appender.events(kept));
    }
}

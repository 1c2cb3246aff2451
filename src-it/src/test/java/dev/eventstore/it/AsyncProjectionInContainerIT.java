package dev.eventstore.it;

import dev.eventstore.async.AsyncProjections;
import dev.eventstore.it.app.ItAppender;
import dev.eventstore.it.app.ItAsyncProjection;
import dev.eventstore.it.app.ItAsyncRow;
import dev.eventstore.it.app.ItRow;
import dev.eventstore.it.app.ItSchema;
import dev.eventstore.projection.ProjectionState;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An ASYNC @Projection inside the server: started with the application, JPA writes in the runtime's JTA batches. */
@ExtendWith(ArquillianExtension.class)
class AsyncProjectionInContainerIT {

    @EJB
    ItAppender appender;

    @Inject
    AsyncProjections projections;

    @Deployment
    static WebArchive deployment() {
        return ItArchives.war("eventstore-async-it.war")
                .addClasses(AsyncProjectionInContainerIT.class, ItArchives.class, ItAppender.class, ItRow.class,
                        ItAsyncRow.class, ItAsyncProjection.class, ItSchema.class)
                .addAsResource("it/persistence.xml", "META-INF/persistence.xml");
    }

    @Test
    void committedEventsReachTheAsyncProjectionAndRolledBackOnesNever() throws Exception {
        String kept = UUID.randomUUID().toString();
        String discarded = UUID.randomUUID().toString();

        assertThrows(EJBException.class, () -> appender.placeAsyncThenThrow(discarded));
        appender.placeAsync(kept, "First", "Second", "Third");

        await(() -> appender.asyncRows(kept) == 3, "the projection writes three rows");
        await(() -> projections.status("it-async-rows").caughtUp(), "the projection reports it has caught up");
        assertEquals(0, appender.asyncRows(discarded));
        assertEquals(ProjectionState.RUNNING, projections.status("it-async-rows").state());
        assertTrue(projections.status("it-async-rows").leaseOwner().isPresent());
    }

    @Test
    void aRebuildOfAProjectionWithoutResetIsRefusedAndKeepsItsReadModelAndCheckpoint() throws Exception {
        String id = UUID.randomUUID().toString();
        appender.placeAsync(id, "Kept");
        await(() -> appender.asyncRows(id) == 1 && projections.status("it-async-rows").caughtUp(),
                "the projection has handled the event");
        long position = projections.status("it-async-rows").lastPosition();

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> projections.rebuild("it-async-rows"));

        assertTrue(refused.getMessage().contains("'it-async-rows' declares no reset"), refused.getMessage());
        assertTrue(refused.getMessage().contains("@ProjectionReset"), refused.getMessage());
        assertEquals(position, projections.status("it-async-rows").lastPosition());
        assertEquals(1, appender.asyncRows(id));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting until " + what);
    }
}

package dev.eventstore.it;

import dev.eventstore.async.AsyncProjections;
import dev.eventstore.async.internal.SegmentHash;
import dev.eventstore.it.app.ItHealth;
import dev.eventstore.it.app.ItSchema;
import dev.eventstore.it.app.ItSegmentedAppender;
import dev.eventstore.it.app.ItSegmentedProjection;
import dev.eventstore.it.app.ItSegmentedRows;
import dev.eventstore.projection.ProjectionState;
import dev.eventstore.projection.ProjectionStatus;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A segmented ASYNC {@code @Projection} inside the server: the deployment's configuration gives it four segments
 * (the annotation says two), the one node holds all four, and every committed event over many aggregates is handled
 * exactly once, each aggregate in version order; readiness reports each segment.
 */
@ExtendWith(ArquillianExtension.class)
class SegmentedProjectionInContainerIT {

    private static final String NAME = ItSegmentedProjection.NAME;
    private static final int SEGMENTS = 4;
    private static final int AGGREGATES = 40;
    private static final int ROUNDS = 5;

    @EJB
    ItSegmentedAppender appender;

    @EJB
    ItSegmentedRows rows;

    @Inject
    AsyncProjections projections;

    @Deployment
    static WebArchive deployment() {
        return ItArchives.war("eventstore-segmented-it.war")
                .addClasses(SegmentedProjectionInContainerIT.class, ItArchives.class, OpsClient.class,
                        ItSchema.class, ItSegmentedProjection.class, ItSegmentedAppender.class,
                        ItSegmentedRows.class, ItSegmentedRows.Handled.class, ItHealth.class,
                        ItHealth.StoreReadiness.class, ItHealth.StoreLiveness.class)
                .addAsResource(new StringAsset("eventstore.projection." + NAME + ".segments=" + SEGMENTS + "\n"),
                        "META-INF/microprofile-config.properties");
    }

    @Test
    void everyCommittedEventIsHandledOnceInStreamOrderByTheSegmentsThisNodeHolds() throws Exception {
        assertEquals(SEGMENTS, projections.segments(NAME), "the configuration key overrides @Projection(segments)");
        String run = "seg-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> ids = IntStream.range(0, AGGREGATES).mapToObj(i -> run + i).toList();
        String gone = "gone-" + UUID.randomUUID().toString().substring(0, 8) + "-";

        for (int round = 0; round < ROUNDS; round++) {
            appender.appendToEach(ids);
            if (round == 2) {
                assertThrows(EJBException.class, () -> appender.appendToEachThenThrow(
                        IntStream.range(0, 8).mapToObj(i -> gone + i).toList()));
            }
        }

        OpsClient.await(() -> rows.handled(run).size() >= AGGREGATES * ROUNDS && projections.status(NAME).caughtUp(),
                () -> "all " + AGGREGATES * ROUNDS + " events handled, saw " + rows.handled(run).size());
        List<ItSegmentedRows.Handled> handled = rows.handled(run);
        assertEquals(AGGREGATES * ROUNDS, handled.size(), "no event twice");
        assertEquals(AGGREGATES * ROUNDS, handled.stream().map(ItSegmentedRows.Handled::eventId).distinct().count());
        Map<String, List<Long>> versions = handled.stream().collect(Collectors.groupingBy(
                ItSegmentedRows.Handled::aggregateId, LinkedHashMap::new,
                Collectors.mapping(ItSegmentedRows.Handled::version, Collectors.toList())));
        List<Long> inOrder = LongStream.rangeClosed(1, ROUNDS).boxed().toList();
        assertEquals(AGGREGATES, versions.size());
        versions.forEach((id, seen) -> assertEquals(inOrder, seen, "versions of " + id + " in the order handled"));
        assertEquals(List.of(), rows.handled(gone), "no rolled-back event");

        String node = projections.runtimeStatus().node();
        OpsClient.await(() -> projections.status(NAME).segments().stream()
                        .filter(segment -> segment.leaseOwner().filter(node::equals).isPresent()).count() == SEGMENTS,
                () -> "this node holds all " + SEGMENTS + " segments: " + projections.status(NAME).segments());
        ProjectionStatus status = projections.status(NAME);
        assertEquals(ProjectionState.RUNNING, status.state());
        assertEquals(List.of(0, 1, 2, 3), status.segments().stream().map(ProjectionStatus.Segment::segment).toList());
        Set<Integer> withEvents = ids.stream().map(id -> SegmentHash.segmentOf("ItSegmented", id, SEGMENTS))
                .collect(Collectors.toSet());
        for (ProjectionStatus.Segment segment : status.segments()) {
            assertEquals(SEGMENTS, segment.segmentCount());
            assertEquals(ProjectionState.RUNNING, segment.state());
            assertEquals(0, segment.lagEvents());
            assertTrue(!withEvents.contains(segment.segment()) || segment.lastPosition() > 0,
                    "segment " + segment.segment() + " handled its aggregates' events: " + segment);
        }
    }

    @Test
    @RunAsClient
    void readinessReportsEverySegmentBesideTheProjection() throws Exception {
        OpsClient.await(() -> OpsClient.storeReadiness().map(check -> check.getJsonObject("data")
                        .containsKey(NAME + ".segment." + (SEGMENTS - 1) + ".lease-owner")).orElse(false),
                "readiness lists every segment with its owner");
        OpsClient.awaitReadiness("UP");

        JsonObject data = OpsClient.storeReadiness().orElseThrow().getJsonObject("data");
        assertEquals(String.valueOf(SEGMENTS), text(data, NAME + ".segments"), data.toString());
        assertEquals("RUNNING", data.getString(NAME + ".state"));
        for (int segment = 0; segment < SEGMENTS; segment++) {
            String key = NAME + ".segment." + segment;
            assertEquals("RUNNING", data.getString(key + ".state"), data.toString());
            assertEquals(data.getString(NAME + ".lease-owner"), data.getString(key + ".lease-owner"),
                    "one node holds every segment: " + data);
            assertTrue(data.containsKey(key + ".lag-ms") && data.containsKey(key + ".position"), data.toString());
        }
    }

    /** A data value as text: WildFly writes a number as a JSON number, Payara as a string. */
    private static String text(JsonObject data, String key) {
        JsonValue value = data.get(key);
        return value instanceof JsonString string ? string.getString() : String.valueOf(value);
    }
}

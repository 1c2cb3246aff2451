package dev.eventstore.cdi;

import dev.eventstore.EventStore;
import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.EventHandler;
import dev.eventstore.projection.Projection;
import dev.eventstore.projection.ProjectionMode;
import dev.eventstore.projection.ProjectionStatus;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.eventstore.ExpectedVersion.any;
import static dev.eventstore.cdi.StoreEvents.event;
import static dev.eventstore.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code @Projection(segments = 3)} in Weld SE with Narayana: the extension hands the count to the runtime. */
class SegmentedAsyncProjectionTest {

    /** Three segments, each batch in a JTA transaction of its own. */
    @ApplicationScoped
    @Projection(name = "segmented-later", aggregateTypes = "Spread", mode = ProjectionMode.ASYNC, segments = 3)
    public static class SegmentedProjection {
        @Inject
        Recorder recorder;
        @Inject
        TransactionSynchronizationRegistry transactions;

        @EventHandler
        public void on(PersistedEvent event) {
            recorder.saw("segmented-later", event, transactions.getTransactionStatus());
        }
    }

    @Test
    void aSegmentedAsyncProjectionBeanRunsWithItsDeclaredSegmentsAndKeepsEachStreamInOrder() throws Exception {
        try (TestSchema schema = TestDatabase.get().createSchema(StoreConfig.defaults());
             AgroalDataSource dataSource = JtaEnvironment.dataSource(schema, 8)) {
            String channel = "es_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (WeldContainer container = CdiTestContainer.start(dataSource,
                    StoreConfig.defaults().withNotifyChannel(channel), Recorder.class, SegmentedProjection.class)) {
                EventStore store = container.select(EventStore.class).get();
                Recorder recorder = container.select(Recorder.class).get();
                UserTransaction transaction = JtaEnvironment.userTransaction();
                for (int round = 0; round < 3; round++) {
                    transaction.begin();
                    for (int aggregate = 0; aggregate < 12; aggregate++) {
                        store.append(any(), event("Spread", "spread-" + aggregate, "Happened"));
                    }
                    transaction.commit();
                }

                await(() -> recorder.seenBy("segmented-later").size() == 36,
                        () -> "all 36 events handled, saw " + recorder.seenBy("segmented-later").size());
                AsyncProjections projections = container.select(AsyncProjections.class).get();
                await(() -> projections.status("segmented-later").caughtUp(), "every segment is caught up");

                ProjectionStatus status = projections.status("segmented-later");
                assertThat(status.segments()).extracting(ProjectionStatus.Segment::segmentCount)
                        .containsExactly(3, 3, 3);
                assertThat(status.segments()).allSatisfy(segment -> assertThat(segment.lastPosition()).isPositive());
                Map<String, List<Long>> versions = recorder.seenBy("segmented-later").stream()
                        .collect(Collectors.groupingBy(seen -> seen.event().aggregateId(),
                                Collectors.mapping(seen -> seen.event().aggregateVersion(), Collectors.toList())));
                assertThat(versions).hasSize(12).allSatisfy((id, seen) -> assertThat(seen).containsExactly(1L, 2L, 3L));
            }
        }
    }
}

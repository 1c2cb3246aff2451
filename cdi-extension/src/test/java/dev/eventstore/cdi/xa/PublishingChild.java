package dev.eventstore.cdi.xa;

import dev.eventstore.async.AsyncProjections;
import dev.eventstore.docs.OrderEventPublisher;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.projection.ProjectionStatus;
import dev.eventstore.testing.CdiTestContainer;
import io.agroal.api.AgroalDataSource;
import org.apache.activemq.artemis.jms.client.ActiveMQXAConnectionFactory;
import org.jboss.weld.environment.se.WeldContainer;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The application of {@link ExactlyOncePublishingTest}, one start of it: like a server, it first lets the transaction
 * manager recover what a previous run left in doubt, then starts the CDI container, whose asynchronous runtime runs
 * {@link OrderEventPublisher}, and waits until the projection has handled the event at the given position. Crash
 * switches of {@link TransactionalJms} make it die on the way.
 */
public final class PublishingChild {

    static final String PROJECTION = "order-events-to-jms";

    private PublishingChild() {
    }

    public static void main(String[] arguments) throws Exception {
        String jdbcUrl = arguments[0];
        String user = arguments[1];
        String password = arguments[2];
        String brokerUrl = arguments[3];
        String channel = arguments[4];
        long lastPosition = Long.parseLong(arguments[5]);
        Path objectStore = Path.of(arguments[6]);
        String node = arguments[7];

        long started = System.nanoTime();
        int scans = NarayanaRecovery.recover(objectStore, node,
                XaDataSources.recoveryDataSource(jdbcUrl, user, password), new ActiveMQXAConnectionFactory(brokerUrl),
                Duration.ofSeconds(30));
        System.out.println("RECOVERED in " + scans + " scans, " + (System.nanoTime() - started) / 1_000_000 + " ms");

        TransactionalJms.use(new ActiveMQXAConnectionFactory(brokerUrl));
        try (AgroalDataSource dataSource = XaDataSources.pool(jdbcUrl, user, password, 4);
             WeldContainer container = CdiTestContainer.start(dataSource,
                     StoreConfig.defaults().withNotifyChannel(channel), TransactionalJms.class,
                     OrderEventPublisher.class)) {
            AsyncProjections projections = container.select(AsyncProjections.class).get();
            projections.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            ProjectionStatus status = projections.status(PROJECTION);
            while (status.lastPosition() < lastPosition) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the projection did not reach position " + lastPosition
                            + " within 60 s: " + status);
                }
                Thread.sleep(25);
                status = projections.status(PROJECTION);
            }
            System.out.println("CAUGHT UP at position " + status.lastPosition());
        }
        System.exit(0);
    }
}

package dev.eventstore.async;

import dev.eventstore.postgres.StoreConfig;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * One node of the multi-process test, run as its own JVM: a segmented projection recording into
 * {@link SegmentRecorder}'s table until its standard input closes (the parent is done, or died) or it is killed.
 *
 * <p>Arguments: JDBC URL, user, password, notify channel, node name, projection, segments, lease in milliseconds.
 */
public final class SegmentNode {

    private SegmentNode() {
    }

    public static void main(String[] args) throws IOException {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(args[0]);
        dataSource.setUser(args[1]);
        dataSource.setPassword(args[2]);
        String node = args[4];
        String projection = args[5];
        try (AsyncProjections projections = AsyncProjections.builder(dataSource,
                        StoreConfig.defaults().withNotifyChannel(args[3]))
                .node(node)
                .register(projection, Set.of(), new SegmentRecorder(projection, node))
                .segments(projection, Integer.parseInt(args[6]))
                .lease(Duration.ofMillis(Long.parseLong(args[7])))
                .pollInterval(Duration.ofMillis(100))
                .batchSize(20)
                .build()) {
            projections.start();
            System.out.println("started " + node);
            System.out.flush();
            while (System.in.read() >= 0) {
                // Runs until the parent closes our input.
            }
        }
    }
}

package dev.eventstore.async;

import dev.eventstore.Event;
import dev.eventstore.ExpectedVersion;
import dev.eventstore.OptimisticConcurrencyException;
import dev.eventstore.postgres.PostgresEventStore;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static dev.eventstore.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The segment proof with real processes: three JVMs run one projection of four segments while writers append (hot
 * and cold aggregates, rollbacks, a transaction held open); one JVM is killed with SIGKILL mid-run and a fourth
 * starts. Every committed event must be handled exactly once, never a rolled-back one, each aggregate in version
 * order, and the three live JVMs must end up with fair shares. {@code -Dsegments.proof.events=N} makes each of the
 * four writers try N appends instead of 60, for a longer run.
 */
class SegmentedProcessesTest {

    private static final int SEGMENTS = 4;
    private static final long LEASE_MILLIS = 3000;
    /** JVM starts, lease expiry and other sessions' open transactions on a shared 2-core machine. */
    private static final long WAIT_SECONDS = 120;

    private static TestSchema schema;
    private static String channel;
    private static PostgresEventStore store;
    private final Map<String, Process> nodes = new LinkedHashMap<>();

    @BeforeAll
    static void createSchema() throws SQLException {
        schema = TestDatabase.get().createSchema(StoreConfig.defaults());
        try (Connection connection = schema.connect()) {
            SegmentRecorder.createTables(connection);
        }
        channel = "es_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        store = PostgresEventStore.create(StoreConfig.defaults().withNotifyChannel(channel));
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        schema.close();
    }

    @Test
    void threeProcessesOneKilledAndOneJoiningHandleEveryCommittedEventOnceInStreamOrder() throws Exception {
        String projection = "processes-" + UUID.randomUUID();
        String type = "Proof";
        int appendsPerWriter = Integer.getInteger("segments.proof.events", 60);
        Set<UUID> committed = ConcurrentHashMap.newKeySet();
        Set<UUID> discarded = ConcurrentHashMap.newKeySet();
        List<String> hot = List.of("hot-1", "hot-2", "hot-3", "hot-4");
        try {
            for (String node : List.of("p1", "p2", "p3")) {
                start(node, projection);
            }
            await(WAIT_SECONDS, () -> fair(holdings(projection), Set.of("p1", "p2", "p3")),
                    () -> "three processes hold fair shares: " + holdings(projection) + log());

            Connection held = schema.begin();
            Event late = Event.builder(type, "held-open", "Happened").jsonPayload("{}").build();
            store.on(held).append(ExpectedVersion.any(), late);
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                long seed = w;
                writers.add(CompletableFuture.runAsync(() -> write(seed, type, hot, appendsPerWriter, committed,
                        discarded)));
            }
            await(WAIT_SECONDS, () -> handled(projection) > 0 || committed.size() > 20,
                    () -> "the writers are under way");
            held.commit();
            held.close();
            committed.add(late.eventId());
            await(WAIT_SECONDS, () -> handled(projection) > 0, () -> "the processes handle events" + log());

            Process victim = nodes.remove("p2");
            victim.destroyForcibly();
            assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
            start("p4", projection);

            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
            await(WAIT_SECONDS, () -> handled(projection) >= committed.size(),
                    () -> "every committed event is handled: " + handled(projection) + " of " + committed.size()
                            + ", holdings " + holdings(projection) + log());
            await(WAIT_SECONDS, () -> fair(holdings(projection), Set.of("p1", "p3", "p4")),
                    () -> "the live processes hold fair shares: " + holdings(projection) + log());
            // A second wave over many aggregates, so every segment, the newcomer's too, has work.
            CompletableFuture.runAsync(() -> write(99, type, List.of(), 40, committed, discarded))
                    .get(1, TimeUnit.MINUTES);
            await(WAIT_SECONDS, () -> handled(projection) >= committed.size(),
                    () -> "the second wave is handled: " + handled(projection) + " of " + committed.size() + log());
            assertThat(handlers(projection)).containsKeys("p1", "p3", "p4");

            assertThat(committed).hasSizeGreaterThan(100);
            assertThat(seen(projection)).as("each committed event exactly once, nothing else")
                    .hasSize(committed.size()).containsExactlyInAnyOrderElementsOf(committed);
            assertThat(seen(projection)).doesNotContainAnyElementsOf(discarded);
            assertThat(violations(projection)).as("stream order").isEmpty();
            System.out.println("multi-process proof: " + committed.size() + " committed, " + discarded.size()
                    + " discarded, handled by " + handlers(projection));
        } finally {
            for (Process process : nodes.values()) {
                process.getOutputStream().close();
            }
            for (Process process : nodes.values()) {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private void start(String node, String projection) throws IOException {
        Path log = Files.createTempFile("segment-node-" + node + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SegmentNode.class.getName(), schema.url(), schema.database().user(), schema.database().password(),
                channel, node, projection, Integer.toString(SEGMENTS), Long.toString(LEASE_MILLIS))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        nodes.put(node, builder.start());
        logs.put(node, log.toFile());
    }

    private final Map<String, File> logs = new LinkedHashMap<>();

    /** The last lines each process wrote, for a failure message. */
    private String log() {
        StringBuilder text = new StringBuilder();
        logs.forEach((node, file) -> {
            try {
                List<String> lines = Files.readAllLines(file.toPath());
                text.append("\n--- ").append(node).append(nodes.containsKey(node) ? "" : " (gone)").append(":\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            } catch (IOException e) {
                text.append("\n--- ").append(node).append(": ").append(e);
            }
        });
        return text.toString();
    }

    /** Within one of ceil(segments / nodes) each, every segment held, and only by these nodes. */
    private static boolean fair(Map<String, Integer> holdings, Set<String> live) {
        int ceil = (SEGMENTS + live.size() - 1) / live.size();
        return holdings.keySet().equals(live)
                && holdings.values().stream().mapToInt(Integer::intValue).sum() == SEGMENTS
                && holdings.values().stream().allMatch(count -> count >= ceil - 1 && count <= ceil);
    }

    private static Map<String, Integer> holdings(String projection) {
        Map<String, Integer> holdings = new LinkedHashMap<>();
        query("SELECT lease_owner, count(*) FROM projection_checkpoints WHERE projection_name = ? AND lease_until"
                + " > now() GROUP BY lease_owner ORDER BY lease_owner", projection, rows -> {
            while (rows.next()) {
                holdings.put(rows.getString(1), rows.getInt(2));
            }
        });
        return holdings;
    }

    private static long handled(String projection) {
        long[] count = new long[1];
        query("SELECT count(*) FROM segment_seen WHERE projection = ?", projection, rows -> {
            rows.next();
            count[0] = rows.getLong(1);
        });
        return count[0];
    }

    private static List<UUID> seen(String projection) {
        List<UUID> ids = new ArrayList<>();
        query("SELECT event_id FROM segment_seen WHERE projection = ?", projection, rows -> {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        });
        return ids;
    }

    private static List<String> violations(String projection) {
        List<String> found = new ArrayList<>();
        query("SELECT what FROM segment_violations WHERE projection = ?", projection, rows -> {
            while (rows.next()) {
                found.add(rows.getString(1));
            }
        });
        return found;
    }

    private static Map<String, Integer> handlers(String projection) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        query("SELECT node, count(*) FROM segment_seen WHERE projection = ? GROUP BY node ORDER BY node", projection,
                rows -> {
                    while (rows.next()) {
                        counts.put(rows.getString(1), rows.getInt(2));
                    }
                });
        return counts;
    }

    private interface Rows {
        void read(ResultSet rows) throws SQLException;
    }

    private static void query(String sql, String projection, Rows reader) {
        try (Connection connection = schema.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, projection);
            try (ResultSet rows = statement.executeQuery()) {
                reader.read(rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(long seed, String type, List<String> hot, int appends, Set<UUID> committed,
                              Set<UUID> discarded) {
        Random random = new Random(seed);
        try (Connection connection = schema.begin()) {
            for (int i = 0; i < appends; i++) {
                String id = hot.isEmpty() || random.nextInt(3) == 0 ? "cold-" + UUID.randomUUID()
                        : hot.get(random.nextInt(hot.size()));
                Event event = Event.builder(type, id, "Happened").jsonPayload("{}").build();
                try {
                    store.on(connection).append(ExpectedVersion.any(), event);
                    if (random.nextInt(6) == 0) {
                        connection.rollback();
                        discarded.add(event.eventId());
                        continue;
                    }
                    connection.commit();
                    committed.add(event.eventId());
                } catch (OptimisticConcurrencyException e) {
                    connection.rollback();
                    discarded.add(event.eventId());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

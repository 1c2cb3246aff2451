package dev.eventstore.jpa;

import dev.eventstore.jpa.order.OrderCommands;
import dev.eventstore.jpa.order.OrderEvents.OrderLineAdded;
import dev.eventstore.jpa.order.OrderOverviewProjection;
import dev.eventstore.jpa.order.OrderOverviewSqlProjection;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import org.jboss.weld.environment.se.WeldContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The cost of an inline projection: the same JTA command (place an order with two lines) with no projection, with
 * the order overview kept through JPA ({@link ReadModelWriter}) and with it kept through version-guarded SQL
 * ({@link VersionGuardedWriter}), measured in the same run, the three setups taking turns round by round. Not a test:
 * run it with {@code mvn -B -Pbench -DskipTests -DskipITs verify -pl cdi-extension,jpa-readmodels -am}.
 */
public final class InlineProjectionBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final long ROUND_MILLIS = Long.getLong("bench.roundMillis", 1500);
    private static final List<OrderLineAdded> LINES =
            List.of(new OrderLineAdded("BOOK", 2, 1250), new OrderLineAdded("PEN", 1, 199));

    private InlineProjectionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (TestSchema schema = TestDatabase.get().createSchema(StoreConfig.defaults())) {
            try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
                statement.execute(OrderOverviewSqlProjection.DDL);
            }
            AgroalDataSource dataSource = JtaEnvironment.dataSource(schema, 4);
            JpaResources jpa = new JpaResources(dataSource);
            Map<String, Class<?>[]> setups = new LinkedHashMap<>();
            setups.put("none", new Class<?>[] {OrderCommands.class});
            setups.put("jpa", new Class<?>[] {OrderCommands.class, OrderOverviewProjection.class});
            setups.put("sql", new Class<?>[] {OrderCommands.class, OrderOverviewSqlProjection.class});
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            Map<String, List<Double>> ratios = new LinkedHashMap<>();
            // A warm-up round, then the setups in turn per round; each ratio is taken within its round.
            for (int round = 0; round <= ROUNDS; round++) {
                Map<String, Double> roundRates = new LinkedHashMap<>();
                for (Map.Entry<String, Class<?>[]> setup : setups.entrySet()) {
                    try (WeldContainer container = CdiTestContainer.start(dataSource, StoreConfig.defaults(),
                            List.of(jpa), setup.getValue())) {
                        roundRates.put(setup.getKey(), rate(container.select(OrderCommands.class).get()));
                    }
                }
                if (round > 0) {
                    roundRates.forEach((name, rate) -> {
                        rates.computeIfAbsent(name, key -> new ArrayList<>()).add(rate);
                        ratios.computeIfAbsent(name, key -> new ArrayList<>()).add(rate / roundRates.get("none"));
                    });
                }
            }
            jpa.factory().close();
            dataSource.close();
            double without = median(rates.get("none"));
            double with = median(rates.get("jpa"));
            double withSql = median(rates.get("sql"));
            double ratio = median(ratios.get("jpa"));
            double sqlRatio = median(ratios.get("sql"));
            String table = String.format(Locale.ROOT, "%-66s %12.1f  commands/s%n%-66s %12.1f  commands/s%n"
                            + "%-66s %12.1f  commands/s%ninline projection: with / without = %.2f (JPA),"
                            + " %.2f (version-guarded SQL), medians of the rounds' ratios%n",
                    "place order + 2 lines, JTA, no projection", without,
                    "place order + 2 lines, JTA, inline JPA projection (ReadModelWriter)", with,
                    "place order + 2 lines, JTA, inline SQL projection (VersionGuardedWriter)", withSql,
                    ratio, sqlRatio);
            System.out.print(table);
            Path file = Path.of(args.length > 0 ? args[0] : "target/bench-inline-projection.json");
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, String.format(Locale.ROOT, "{\"withoutProjection\": %.2f, \"withProjection\": %.2f,"
                    + " \"withSqlProjection\": %.2f, \"ratio\": %.3f, \"sqlRatio\": %.3f, \"unit\": \"commands/s\"}%n",
                    without, with, withSql, ratio, sqlRatio));
        }
    }

    private static double rate(OrderCommands commands) {
        for (int i = 0; i < 100; i++) {
            commands.placeOrder(UUID.randomUUID().toString(), "bench", "EUR", LINES, false);
        }
        long count = 0;
        long started = System.nanoTime();
        long deadline = started + ROUND_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            commands.placeOrder(UUID.randomUUID().toString(), "bench", "EUR", LINES, false);
            count++;
        }
        return count / ((System.nanoTime() - started) / 1e9);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}

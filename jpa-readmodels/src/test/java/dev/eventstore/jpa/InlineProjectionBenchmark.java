package dev.eventstore.jpa;

import dev.eventstore.jpa.order.OrderCommands;
import dev.eventstore.jpa.order.OrderEvents.OrderLineAdded;
import dev.eventstore.jpa.order.OrderOverviewProjection;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import org.jboss.weld.environment.se.WeldContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The cost of an inline JPA projection: the same JTA command (place an order with two lines) with and without the
 * order-overview projection deployed, measured in the same run. Not a test: run it with
 * {@code mvn -B -Pbench -DskipTests -DskipITs verify -pl cdi-extension,jpa-readmodels -am}.
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
            AgroalDataSource dataSource = JtaEnvironment.dataSource(schema, 4);
            JpaResources jpa = new JpaResources(dataSource);
            double without;
            double with;
            try (WeldContainer plain = CdiTestContainer.start(dataSource, StoreConfig.defaults(), List.of(jpa),
                    OrderCommands.class)) {
                without = median(plain.select(OrderCommands.class).get());
            }
            try (WeldContainer projected = CdiTestContainer.start(dataSource, StoreConfig.defaults(),
                    List.of(jpa), OrderCommands.class, OrderOverviewProjection.class)) {
                with = median(projected.select(OrderCommands.class).get());
            }
            jpa.factory().close();
            dataSource.close();
            String table = String.format(Locale.ROOT, "%-58s %12.1f  commands/s%n%-58s %12.1f  commands/s%n"
                            + "inline projection: with / without = %.2f%n",
                    "place order + 2 lines, JTA, no projection", without,
                    "place order + 2 lines, JTA, inline JPA projection", with, with / without);
            System.out.print(table);
            Path file = Path.of(args.length > 0 ? args[0] : "target/bench-inline-projection.json");
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, String.format(Locale.ROOT, "{\"withoutProjection\": %.2f, \"withProjection\": %.2f,"
                    + " \"ratio\": %.3f, \"unit\": \"commands/s\"}%n", without, with, with / without));
        }
    }

    private static double median(OrderCommands commands) throws IOException {
        List<Double> rates = new ArrayList<>();
        for (int round = 0; round <= ROUNDS; round++) {
            long count = 0;
            long started = System.nanoTime();
            long deadline = started + ROUND_MILLIS * 1_000_000;
            while (System.nanoTime() < deadline) {
                commands.placeOrder(UUID.randomUUID().toString(), "bench", "EUR", LINES, false);
                count++;
            }
            if (round > 0) {
                rates.add(count / ((System.nanoTime() - started) / 1e9));
            }
        }
        Collections.sort(rates);
        return rates.get(rates.size() / 2);
    }
}

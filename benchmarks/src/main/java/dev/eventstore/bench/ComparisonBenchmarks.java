package dev.eventstore.bench;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Entry point of the comparison benchmarks: {@code axon} (the store side by side with Axon Framework's JDBC engine)
 * or {@code growth} (appends and reads as the log grows). Run through the {@code benchmarks} Maven profile; see
 * docs/benchmarks.md.
 */
public final class ComparisonBenchmarks {

    private ComparisonBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ComparisonBenchmarks axon|levers|growth <results.json>");
        }
        BenchReport report = new BenchReport(args[0]);
        switch (args[0].toLowerCase(Locale.ROOT)) {
            case "axon" -> AxonComparison.run(report);
            case "levers" -> AppendLevers.run(report);
            case "growth" -> GrowthBenchmark.run(report);
            default -> throw new IllegalArgumentException("unknown benchmark family '" + args[0]
                    + "'; use -Dbench.family=axon, levers or growth");
        }
        report.write(Path.of(args[1]));
    }
}

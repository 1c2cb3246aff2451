package dev.eventstore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one benchmark run measured: figures (median, min and max over rounds), ratios between figures of the same run,
 * and facts (row counts, sizes, versions). Printed as a table and written as JSON.
 */
final class BenchReport {

    /** Timed rounds after one warm-up round. */
    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    /** Length of one timed round. */
    static final long ROUND_MILLIS = Long.getLong("bench.roundMillis", 1500);

    private final String family;
    private final List<Measurement> figures = new ArrayList<>();
    private final Map<String, Double> ratios = new LinkedHashMap<>();
    private final Map<String, String> facts = new LinkedHashMap<>();

    BenchReport(String family) {
        this.family = family;
    }

    void add(Measurement measurement) {
        figures.add(measurement);
        System.out.printf(Locale.ROOT, "%-70s %12.1f %12.1f %12.1f  %s%n", measurement.name(), measurement.median(),
                measurement.min(), measurement.max(), measurement.unit());
    }

    /** Records median(numerator) / median(denominator); both must have been measured in this run. */
    double ratio(String label, String numerator, String denominator) {
        double value = find(numerator).median() / find(denominator).median();
        ratios.put(label, value);
        System.out.printf(Locale.ROOT, "%-70s = %.2f%n", label, value);
        return value;
    }

    void fact(String name, Object value) {
        facts.put(name, String.valueOf(value));
        System.out.printf(Locale.ROOT, "%-70s : %s%n", name, value);
    }

    /** Facts about the machine and the database server, taken once per run. */
    void describeEnvironment(Connection connection) throws SQLException {
        fact("date", Instant.now());
        fact("cores", Runtime.getRuntime().availableProcessors());
        fact("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        fact("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        try (Statement statement = connection.createStatement();
             var row = statement.executeQuery("SELECT version(), current_setting('synchronous_commit'),"
                     + " current_setting('fsync'), current_setting('shared_buffers')")) {
            row.next();
            fact("postgresql", row.getString(1));
            fact("synchronous_commit / fsync / shared_buffers", row.getString(2) + " / " + row.getString(3) + " / "
                    + row.getString(4));
        }
        fact("rounds", ROUNDS + " timed after 1 warm-up, " + ROUND_MILLIS + " ms each");
    }

    Measurement find(String name) {
        return figures.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no figure named '" + name + "' in this run"));
    }

    void write(Path file) throws IOException {
        StringBuilder json = new StringBuilder("{\n  \"family\": \"").append(escape(family)).append("\",\n");
        json.append("  \"facts\": {");
        appendMap(json, facts, value -> '"' + escape(value) + '"');
        json.append("},\n  \"results\": [\n");
        for (int i = 0; i < figures.size(); i++) {
            Measurement m = figures.get(i);
            json.append(String.format(Locale.ROOT, "    {\"name\": \"%s\", \"unit\": \"%s\", \"median\": %.2f,"
                            + " \"min\": %.2f, \"max\": %.2f, \"rounds\": %s}%s%n", escape(m.name()), escape(m.unit()),
                    m.median(), m.min(), m.max(), roundsJson(m.rounds()), i + 1 < figures.size() ? "," : ""));
        }
        json.append("  ],\n  \"ratios\": {");
        appendMap(json, ratios, value -> String.format(Locale.ROOT, "%.3f", value));
        json.append("}\n}\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json.toString());
        System.out.println("Results written to " + file.toAbsolutePath());
    }

    private static <V> void appendMap(StringBuilder json, Map<String, V> map,
                                      java.util.function.Function<V, String> format) {
        int i = 0;
        for (Map.Entry<String, V> entry : map.entrySet()) {
            json.append(i++ == 0 ? "\n" : ",\n").append("    \"").append(escape(entry.getKey())).append("\": ")
                    .append(format.apply(entry.getValue()));
        }
        json.append(map.isEmpty() ? "" : "\n  ");
    }

    private static String roundsJson(List<Double> rounds) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < rounds.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", rounds.get(i)));
        }
        return out.append(']').toString();
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
    }
}

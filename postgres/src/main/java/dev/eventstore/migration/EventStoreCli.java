package dev.eventstore.migration;

import dev.eventstore.postgres.QueryIndex;
import dev.eventstore.postgres.StoreConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command line of the {@code eventstore-cdi} jar: {@code java -jar eventstore-postgres.jar migrate-gen [options]}.
 * Exit codes: 0 written, 1 could not write, 2 bad usage.
 */
public final class EventStoreCli {

    static final String USAGE = """
            Usage: java -jar eventstore-postgres.jar migrate-gen [options]

            Writes the SQL that creates the event store's tables.

              --output DIR                   directory to write to (default: current directory)
              --filename NAME                file name (default: V<yyyyMMddHHmmss>__eventstore_schema.sql, UTC)
              --events-table NAME            events table, optionally schema.name (default: events)
              --aggregate-heads-table NAME   aggregate heads table, optionally schema.name (default: aggregate_heads)
              --checkpoints-table NAME       async projection checkpoints (default: projection_checkpoints)
              --query-indexes LIST           optional query indexes, comma-separated: event-type, created-at,
                                             metadata, topic; or none (default: all four)
              --partition-size N             range-partition the events table by global position, N positions
                                             per partition (default: one unpartitioned table)
              --help                         show this text
            """;

    private static final List<String> OPTIONS =
            List.of("--output", "--filename", "--events-table", "--aggregate-heads-table", "--checkpoints-table",
                    "--query-indexes", "--partition-size");

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    EventStoreCli(PrintStream out, PrintStream err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(new EventStoreCli(System.out, System.err, Clock.systemUTC()).run(args));
    }

    int run(String... args) {
        List<String> arguments = new ArrayList<>(List.of(args));
        if (arguments.isEmpty() || arguments.contains("--help") || arguments.contains("-h")) {
            (arguments.isEmpty() ? err : out).print(USAGE);
            return arguments.isEmpty() ? 2 : 0;
        }
        String command = arguments.remove(0);
        if (!command.equals("migrate-gen")) {
            return usageError("unknown command '" + command + "'");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            String option = arguments.get(i);
            if (!OPTIONS.contains(option)) {
                return usageError("unknown option '" + option + "'");
            }
            if (i + 1 >= arguments.size()) {
                return usageError("option " + option + " needs a value");
            }
            if (options.put(option, arguments.get(++i)) != null) {
                return usageError("option " + option + " given twice");
            }
        }
        StoreConfig config;
        try {
            config = StoreConfig.defaults()
                    .withEventsTable(options.getOrDefault("--events-table", StoreConfig.DEFAULT_EVENTS_TABLE))
                    .withHeadsTable(options.getOrDefault("--aggregate-heads-table",
                            StoreConfig.DEFAULT_HEADS_TABLE))
                    .withCheckpointsTable(options.getOrDefault("--checkpoints-table",
                            StoreConfig.DEFAULT_CHECKPOINTS_TABLE));
            if (options.containsKey("--query-indexes")) {
                config = config.withQueryIndexes(queryIndexes(options.get("--query-indexes")));
            }
            String partitionSize = options.get("--partition-size");
            if (partitionSize != null) {
                config = config.withPartitioning(parsePartitionSize(partitionSize));
            }
        } catch (IllegalArgumentException e) {
            return usageError(e.getMessage());
        }
        Path directory = Path.of(options.getOrDefault("--output", "."));
        String filename = options.getOrDefault("--filename", MigrationGenerator.defaultFilename(clock.instant()));
        try {
            Path written = MigrationGenerator.write(directory, filename, config);
            out.println("Wrote " + written);
            return 0;
        } catch (IllegalArgumentException e) {
            return usageError(e.getMessage());
        } catch (FileAlreadyExistsException e) {
            err.println("error: " + e.getFile() + " already exists; migrations are never overwritten, choose another"
                    + " --filename");
            return 1;
        } catch (IOException e) {
            err.println("error: could not write to " + directory + ": " + e);
            return 1;
        }
    }

    /** {@code none}, or a comma-separated list of {@link QueryIndex#configName()}s without repeats. */
    static Set<QueryIndex> queryIndexes(String list) {
        if (list.strip().equalsIgnoreCase("none")) {
            return Set.of();
        }
        Set<QueryIndex> indexes = EnumSet.noneOf(QueryIndex.class);
        for (String name : list.split(",", -1)) {
            if (!indexes.add(QueryIndex.parse(name))) {
                throw new IllegalArgumentException("query index '" + name.strip() + "' is listed twice");
            }
        }
        return indexes;
    }

    private static long parsePartitionSize(String value) {
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--partition-size must be a whole number of positions, for example"
                    + " 10000000, was '" + value + "'");
        }
    }

    private int usageError(String message) {
        err.println("error: " + message);
        err.print(USAGE);
        return 2;
    }
}

package dev.eventstore.postgres.internal;

import dev.eventstore.postgres.StoreConfig;

/** Test-only view of the store's SQL, so benchmarks can run the very same statement through raw JDBC. */
public final class StoreInternals {

    private StoreInternals() {
    }

    public static String appendNoStreamSql(StoreConfig config) {
        return new EventLogSql(config).appendNoStream;
    }

    /** The noStream append of a single event, with scalar parameters. */
    public static String appendOneNoStreamSql(StoreConfig config) {
        return new EventLogSql(config).appendOneNoStream;
    }

    /**
     * The single-event append statements as they were before appends took the aggregate's advisory lock (the lock
     * statement cut off), for the benchmark's measurement of what the lock costs under contention.
     */
    public static String appendAnyWithoutLockSql(StoreConfig config) {
        return withoutLock(new EventLogSql(config).appendOneAny);
    }

    public static String appendExactWithoutLockSql(StoreConfig config) {
        return withoutLock(new EventLogSql(config).appendOneExact);
    }

    private static String withoutLock(String statements) {
        return statements.substring(statements.indexOf("; ") + 2);
    }

    public static String lockKey(String aggregateType, String aggregateId) {
        return EventLogSql.lockKey(aggregateType, aggregateId);
    }

    /**
     * One of the store's append statements: {@code kind} is {@code noStream} or {@code exact}; {@code oneEvent} picks
     * the scalar single-event shape over the array shape; without {@code lock} the advisory-lock statement is cut off.
     */
    public static String appendSql(StoreConfig config, String kind, boolean oneEvent, boolean lock) {
        EventLogSql sql = new EventLogSql(config);
        String statements = switch (kind) {
            case "noStream" -> oneEvent ? sql.appendOneNoStream : sql.appendNoStream;
            case "exact" -> oneEvent ? sql.appendOneExact : sql.appendExact;
            default -> throw new IllegalArgumentException("kind must be noStream or exact, was " + kind);
        };
        return lock ? statements : withoutLock(statements);
    }
}

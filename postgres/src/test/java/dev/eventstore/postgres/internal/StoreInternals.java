package dev.eventstore.postgres.internal;

import dev.eventstore.postgres.StoreConfig;

/** Test-only view of the store's SQL, so benchmarks can run the very same statement through raw JDBC. */
public final class StoreInternals {

    private StoreInternals() {
    }

    public static String appendNoStreamSql(StoreConfig config) {
        return new EventLogSql(config).appendNoStream;
    }

    /**
     * The append statements as they were before appends took the aggregate's advisory lock (the lock statement cut
     * off), for the benchmark's measurement of what the lock costs under contention.
     */
    public static String appendAnyWithoutLockSql(StoreConfig config) {
        return withoutLock(new EventLogSql(config).appendAny);
    }

    public static String appendExactWithoutLockSql(StoreConfig config) {
        return withoutLock(new EventLogSql(config).appendExact);
    }

    private static String withoutLock(String statements) {
        return statements.substring(statements.indexOf("; ") + 2);
    }

    public static String lockKey(String aggregateType, String aggregateId) {
        return EventLogSql.lockKey(aggregateType, aggregateId);
    }
}

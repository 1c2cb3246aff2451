package dev.eventstore.postgres.internal;

import dev.eventstore.postgres.StoreConfig;

/** Test-only view of the store's SQL, so benchmarks can run the very same statement through raw JDBC. */
public final class StoreInternals {

    private StoreInternals() {
    }

    public static String appendNoStreamSql(StoreConfig config) {
        return new EventLogSql(config).appendNoStream;
    }

    public static String lockKey(String aggregateType, String aggregateId) {
        return EventLogSql.lockKey(aggregateType, aggregateId);
    }
}

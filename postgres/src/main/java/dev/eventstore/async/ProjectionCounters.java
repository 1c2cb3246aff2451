package dev.eventstore.async;

/**
 * What this node's runtime has done for one projection since it started: node-local figures for metrics, unlike
 * {@code ProjectionStatus}, which is read from the shared checkpoint.
 *
 * @param eventsHandled events handled in committed batches
 * @param batches       batches committed
 * @param failures      failed batch attempts (each retried or, after too many, parked)
 */
public record ProjectionCounters(long eventsHandled, long batches, long failures) {

    public ProjectionCounters {
        if (eventsHandled < 0 || batches < 0 || failures < 0) {
            throw new IllegalArgumentException("counters must not be negative");
        }
    }
}

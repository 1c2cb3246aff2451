package dev.eventstore.maintenance;

import java.time.Instant;

/**
 * Deletes old events: the one exception to the log being append-only, so it is opt-in and never part of
 * {@link dev.eventstore.EventStore}.
 *
 * <p>Deletion runs in batches of bounded size, each its own statement. What stays consistent:
 * <ul>
 *   <li>{@code aggregate_heads} is never touched: an aggregate keeps its version, new appends continue after it and
 *       versions never restart. Reading such an aggregate's stream then starts at a later version, so only delete
 *       events of aggregates that no longer need rebuilding from their full history (audit-style streams, or
 *       aggregates rebuilt from a snapshot);</li>
 *   <li>projections and checkpoints are not changed: events a projection has already applied stay reflected in its
 *       read model, a projection lagging behind the cutoff never sees the deleted events, and a rebuild replays only
 *       what remains. Keep the retention period longer than any projection's lag.</li>
 * </ul>
 */
public interface EventRetention {

    /** Deletes every event created before {@code cutoff}. */
    default RetentionRun deleteBefore(Instant cutoff) {
        return deleteBefore(cutoff, RetentionScope.all());
    }

    /** Deletes the events created before {@code cutoff} that fall within {@code scope}. */
    RetentionRun deleteBefore(Instant cutoff, RetentionScope scope);
}

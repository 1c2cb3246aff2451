package dev.eventstore;

import java.util.List;

/**
 * What one {@link EventStore#append(ExpectedVersion, List) append} wrote: only the events just written, never the
 * aggregate's full history.
 *
 * @param aggregateType kind of aggregate
 * @param aggregateId   identity of the aggregate instance
 * @param fromVersion   the aggregate's version before the append (0 for a new stream)
 * @param toVersion     the aggregate's version after the append
 * @param events        the events written, in version order; unmodifiable
 */
public record AppendResult(String aggregateType, String aggregateId, long fromVersion, long toVersion,
                           List<PersistedEvent> events) {

    public AppendResult {
        Checks.notBlank(aggregateType, "aggregateType");
        Checks.notBlank(aggregateId, "aggregateId");
        Checks.atLeast(fromVersion, 0, "fromVersion");
        events = List.copyOf(Checks.notNull(events, "events"));
        if (events.isEmpty()) {
            throw new IllegalArgumentException("events must not be empty: an append writes at least one event");
        }
        if (toVersion != fromVersion + events.size()) {
            throw new IllegalArgumentException("toVersion must be fromVersion + number of events ("
                    + fromVersion + " + " + events.size() + "), was " + toVersion);
        }
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).aggregateVersion() != fromVersion + 1 + i) {
                throw new IllegalArgumentException("events must carry consecutive versions from " + (fromVersion + 1)
                        + ", found " + events.get(i).aggregateVersion() + " at index " + i);
            }
        }
    }

    /** The global positions of the written events, in version order. */
    public List<Long> globalPositions() {
        return events.stream().map(PersistedEvent::globalPosition).toList();
    }

    /** The highest global position written by this append. */
    public long lastGlobalPosition() {
        return events.get(events.size() - 1).globalPosition();
    }
}

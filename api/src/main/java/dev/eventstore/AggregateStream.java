package dev.eventstore;

import java.util.List;

/**
 * The events of one aggregate instance in version order, as read by
 * {@link EventStore#readAggregateStream(String, String, VersionRange)}.
 *
 * <p>Named {@code AggregateStream} rather than {@code Stream} so it never clashes with {@link java.util.stream.Stream}.
 *
 * @param aggregateType kind of aggregate
 * @param aggregateId   identity of the aggregate instance
 * @param events        the events read, strictly ascending by version; unmodifiable
 */
public record AggregateStream(String aggregateType, String aggregateId, List<PersistedEvent> events) {

    public AggregateStream {
        Checks.notBlank(aggregateType, "aggregateType");
        Checks.notBlank(aggregateId, "aggregateId");
        events = List.copyOf(Checks.notNull(events, "events"));
        long previous = 0;
        for (PersistedEvent event : events) {
            if (!event.aggregateType().equals(aggregateType) || !event.aggregateId().equals(aggregateId)) {
                throw new IllegalArgumentException("events must all belong to " + aggregateType + "/" + aggregateId
                        + ", found " + event.aggregateType() + "/" + event.aggregateId());
            }
            if (event.aggregateVersion() <= previous) {
                throw new IllegalArgumentException("events must be in ascending version order, found version "
                        + event.aggregateVersion() + " after " + previous);
            }
            previous = event.aggregateVersion();
        }
    }

    /**
     * The version of the last event read, 0 when nothing was read. For an unbounded read this is the aggregate's
     * current version, the value to pass to {@link ExpectedVersion#exact(long)} on the next append.
     */
    public long version() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).aggregateVersion();
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    public int size() {
        return events.size();
    }
}

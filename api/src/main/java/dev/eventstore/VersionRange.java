package dev.eventstore;

/**
 * Inclusive bounds on aggregate versions for {@link EventStore#readAggregateStream(String, String, VersionRange)}.
 *
 * <p>A range whose {@code from} exceeds its {@code to} is {@linkplain #isEmpty() empty}: reading it gives an empty
 * stream, as reading beyond the end does, so a caller computing bounds (say, from a snapshot's version + 1 to a target
 * version) needs no special case. No event has version 0, so a range from 0 reads like one from 1 and a range to 0
 * reads nothing. Negative bounds are always a mistake and are rejected.
 *
 * @param from first version to read, {@code >= 0}
 * @param to   last version to read, {@code >= 0}; {@link Long#MAX_VALUE} for "to the end"
 */
public record VersionRange(long from, long to) {

    private static final VersionRange ALL = new VersionRange(1, Long.MAX_VALUE);

    public VersionRange {
        Checks.atLeast(from, 0, "fromVersion");
        Checks.atLeast(to, 0, "toVersion");
    }

    /** Every version. */
    public static VersionRange all() {
        return ALL;
    }

    /** From {@code fromVersion} (inclusive) to the end. */
    public static VersionRange from(long fromVersion) {
        return new VersionRange(fromVersion, Long.MAX_VALUE);
    }

    /** From the first version to {@code toVersion} (inclusive). */
    public static VersionRange to(long toVersion) {
        return new VersionRange(1, toVersion);
    }

    /** From {@code fromVersion} to {@code toVersion}, both inclusive; empty when {@code fromVersion > toVersion}. */
    public static VersionRange between(long fromVersion, long toVersion) {
        return new VersionRange(fromVersion, toVersion);
    }

    /** Whether no version can fall in this range ({@code from > to}); reading it gives an empty stream. */
    public boolean isEmpty() {
        return from > to;
    }

    public boolean contains(long version) {
        return version >= from && version <= to;
    }

    @Override
    public String toString() {
        return "[" + from + ".." + (to == Long.MAX_VALUE ? "end" : Long.toString(to)) + "]";
    }
}

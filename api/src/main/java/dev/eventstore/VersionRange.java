package dev.eventstore;

/**
 * Inclusive bounds on aggregate versions for {@link EventStore#readAggregateStream(String, String, VersionRange)}.
 *
 * @param from first version to read, {@code >= 1}
 * @param to   last version to read, {@code >= from}; {@link Long#MAX_VALUE} for "to the end"
 */
public record VersionRange(long from, long to) {

    private static final VersionRange ALL = new VersionRange(1, Long.MAX_VALUE);

    public VersionRange {
        Checks.atLeast(from, 1, "fromVersion");
        if (to < from) {
            throw new IllegalArgumentException("toVersion must be >= fromVersion, was " + to + " < " + from);
        }
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
        Checks.atLeast(toVersion, 1, "toVersion");
        return new VersionRange(1, toVersion);
    }

    /** From {@code fromVersion} to {@code toVersion}, both inclusive. */
    public static VersionRange between(long fromVersion, long toVersion) {
        return new VersionRange(fromVersion, toVersion);
    }

    public boolean contains(long version) {
        return version >= from && version <= to;
    }

    @Override
    public String toString() {
        return "[" + from + ".." + (to == Long.MAX_VALUE ? "end" : Long.toString(to)) + "]";
    }
}

package dev.eventstore;

import java.io.Serial;
import java.io.Serializable;

/**
 * What the caller believes the aggregate's current version is, checked atomically by
 * {@link EventStore#append(ExpectedVersion, java.util.List) append}.
 *
 * <ul>
 *   <li>{@link #any()}: no check, append after whatever is there;</li>
 *   <li>{@link #noStream()}: the aggregate must not have any event yet;</li>
 *   <li>{@link #exact(long) exact(n)}: the aggregate's last version must be {@code n}; {@code exact(0)} is
 *       {@code noStream()}.</li>
 * </ul>
 */
public final class ExpectedVersion implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final long ANY_MARKER = -1;
    private static final ExpectedVersion ANY = new ExpectedVersion(ANY_MARKER);
    private static final ExpectedVersion NO_STREAM = new ExpectedVersion(0);

    private final long version;

    private ExpectedVersion(long version) {
        this.version = version;
    }

    /** Appends without a concurrency check. */
    public static ExpectedVersion any() {
        return ANY;
    }

    /** The aggregate must not exist yet (version 0). */
    public static ExpectedVersion noStream() {
        return NO_STREAM;
    }

    /** The aggregate must be exactly at {@code version}; {@code exact(0)} equals {@link #noStream()}. */
    public static ExpectedVersion exact(long version) {
        if (version < 0) {
            throw new IllegalArgumentException("expectedVersion must be >= 0 (0 means no stream yet), was " + version
                    + "; use ExpectedVersion.any() to skip the check");
        }
        return version == 0 ? NO_STREAM : new ExpectedVersion(version);
    }

    public boolean isAny() {
        return version == ANY_MARKER;
    }

    public boolean isNoStream() {
        return version == 0;
    }

    /** The expected version; 0 for {@link #noStream()}. */
    public long version() {
        if (isAny()) {
            throw new IllegalStateException("ExpectedVersion.any() has no version; check isAny() first");
        }
        return version;
    }

    /** Whether an aggregate currently at {@code actualVersion} (0 when absent) satisfies this expectation. */
    public boolean accepts(long actualVersion) {
        return isAny() || version == actualVersion;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExpectedVersion that && version == that.version;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version);
    }

    @Override
    public String toString() {
        return isAny() ? "any()" : isNoStream() ? "noStream()" : "exact(" + version + ")";
    }

    @Serial
    private Object readResolve() {
        return isAny() ? ANY : isNoStream() ? NO_STREAM : this;
    }
}

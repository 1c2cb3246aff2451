package dev.eventstore;

import java.io.Serial;
import java.util.OptionalLong;

/**
 * The aggregate was not at the expected version, or a concurrent transaction appended to it first. Nothing was
 * written by the failed append. The usual reaction is to reload the aggregate, decide again and retry in a new
 * transaction.
 *
 * <p>One conflict is not about versions: a transaction that had already written something before its append (to
 * another aggregate, or JPA changes) may be refused when a transaction that started writing after it has appended to
 * the same aggregate and committed, because appending would break the per-stream transaction-id order that gap-aware
 * projections read in. {@link #actualVersion()} then satisfies {@link #expectedVersion()}; retrying the whole
 * transaction succeeds.
 */
public class OptimisticConcurrencyException extends EventStoreException {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final long UNKNOWN = -1;

    private final String aggregateType;
    private final String aggregateId;
    private final ExpectedVersion expectedVersion;
    private final long actualVersion;

    /**
     * @param actualVersion the aggregate's version when the conflict was detected, or empty when unknown (for
     *                      example when a unique constraint caught the race)
     * @param reason        what happened, in words
     */
    public OptimisticConcurrencyException(String aggregateType, String aggregateId, ExpectedVersion expectedVersion,
                                          OptionalLong actualVersion, String reason, Throwable cause) {
        super(message(aggregateType, aggregateId, expectedVersion, actualVersion, reason), cause);
        this.aggregateType = aggregateType;
        this.aggregateId = aggregateId;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion.orElse(UNKNOWN);
    }

    public OptimisticConcurrencyException(String aggregateType, String aggregateId, ExpectedVersion expectedVersion,
                                          long actualVersion) {
        this(aggregateType, aggregateId, expectedVersion, OptionalLong.of(actualVersion),
                "the aggregate is at version " + actualVersion, null);
    }

    private static String message(String type, String id, ExpectedVersion expected, OptionalLong actual,
                                  String reason) {
        if (actual.isPresent() && expected != null && expected.accepts(actual.getAsLong())) {
            // The version was right; something else refused the append. Say so instead of "expected 7, actual 7".
            return "Concurrency conflict on " + type + "/" + id + ": the aggregate is at version " + actual.getAsLong()
                    + ", which expected " + expected + " accepts, but the append was refused: " + reason
                    + ". Retry in a new transaction.";
        }
        return "Concurrency conflict on " + type + "/" + id + ": expected " + expected
                + (actual.isPresent() ? ", actual version " + actual.getAsLong() : "")
                + " (" + reason + "). Reload the aggregate and retry in a new transaction.";
    }

    public String aggregateType() {
        return aggregateType;
    }

    public String aggregateId() {
        return aggregateId;
    }

    public ExpectedVersion expectedVersion() {
        return expectedVersion;
    }

    /** The version found when the conflict was detected, when known. */
    public OptionalLong actualVersion() {
        return actualVersion == UNKNOWN ? OptionalLong.empty() : OptionalLong.of(actualVersion);
    }
}

package dev.eventstore.async.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The segment of an aggregate, as the database computes it in {@link CheckpointSql#SEGMENT_HASH}: the first 32 bits
 * of SHA-256 over the UTF-8 bytes of {@code aggregateType + "/" + aggregateId}, unsigned, modulo the segment count.
 */
public final class SegmentHash {

    private SegmentHash() {
    }

    /** The segment, in {@code [0, segments)}, that the events of this aggregate belong to. */
    public static int segmentOf(String aggregateType, String aggregateId, int segments) {
        if (segments < 1) {
            throw new IllegalArgumentException("segments must be >= 1, was " + segments);
        }
        return (int) (hash(aggregateType, aggregateId) % segments);
    }

    /** The unsigned 32-bit hash, as a non-negative long. */
    static long hash(String aggregateType, String aggregateId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((aggregateType + "/" + aggregateId).getBytes(StandardCharsets.UTF_8));
            return ((digest[0] & 0xFFL) << 24) | ((digest[1] & 0xFFL) << 16) | ((digest[2] & 0xFFL) << 8)
                    | (digest[3] & 0xFFL);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}

package dev.eventstore.projection;

/** When a {@link Projection} handles events. */
public enum ProjectionMode {

    /**
     * In the appending transaction, before the append returns: the read model commits or rolls back together with
     * the events, and a failing handler rolls the append back.
     */
    INLINE,

    /** Later, by the projection runtime, in transactions of its own, with a gap-aware checkpoint. */
    ASYNC
}

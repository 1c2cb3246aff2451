package dev.eventstore.async.internal;

/** The gap-safe checkpoint: the (transaction id, global position) pair of the last event handled. */
record Checkpoint(String transactionId, long position) {

    static final Checkpoint START = new Checkpoint("0", 0);
}

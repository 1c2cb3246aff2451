package dev.eventstore.projection;

/** Where an asynchronous projection stands. */
public enum ProjectionState {
    /** Handling events as they become safely readable. */
    RUNNING,
    /** Stopped by an operator; resumes where it stopped. */
    PAUSED,
    /** Stopped after repeated failures on one event; the event and error are in the status. Resume after a fix. */
    PARKED
}

package dev.eventstore;

/**
 * Something that handles persisted events one at a time, identified by a stable name (used for checkpoints and in
 * error messages). Named {@code EventConsumer} so it never clashes with {@link java.util.function.Consumer}.
 */
public interface EventConsumer {

    /** A stable, unique name. */
    String name();

    /** Handles one event; throwing fails the unit of work the event was delivered in. */
    void handle(PersistedEvent event);
}

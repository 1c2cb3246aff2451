package dev.eventstore.postgres.spi;

import dev.eventstore.AppendResult;

/**
 * Called after every successful append, on the same connection and inside the same transaction, before the append
 * returns. Throwing fails the append; the caller's transaction must then roll back. Container integrations use it to
 * run inline projections and fire CDI events.
 */
@FunctionalInterface
public interface AppendListener {

    AppendListener NONE = result -> { };

    void afterAppend(AppendResult result);
}

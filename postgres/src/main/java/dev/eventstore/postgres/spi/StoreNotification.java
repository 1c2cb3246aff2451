package dev.eventstore.postgres.spi;

/**
 * The notification the store sends for an append when a channel is configured, for integrations that send it
 * themselves after commit (an XA transaction cannot carry a NOTIFY), so listeners get the same payload either way.
 */
public final class StoreNotification {

    /**
     * {@code pg_notify} of the channel (first parameter) with the aggregate type (second parameter) as payload, or with
     * an empty payload when the type is too long for NOTIFY. NOTIFY refuses payloads of {@code block_size - NAMEDATALEN
     * - 128} bytes or more (8,000 in the default build); the limit is read from the server, and an append must never
     * fail over a wake-up hint. Listeners read an empty payload as "some aggregate type".
     */
    public static final String PG_NOTIFY = "pg_notify(?, (SELECT CASE WHEN octet_length(p.type)"
            + " < current_setting('block_size')::int - current_setting('max_identifier_length')::int - 129"
            + " THEN p.type ELSE '' END FROM (SELECT ?::text) AS p(type)))";

    private StoreNotification() {
    }
}

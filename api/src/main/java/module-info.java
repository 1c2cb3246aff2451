/**
 * The store's API: events, expected versions, queries, typed mapping and projection annotations. It has no
 * dependency beyond the JDK. {@code dev.eventstore.internal} holds validation shared with the PostgreSQL store and is
 * not API.
 */
@SuppressWarnings("module") // the store module is built after this one
module dev.eventstore {
    exports dev.eventstore;
    exports dev.eventstore.maintenance;
    exports dev.eventstore.mapping;
    exports dev.eventstore.projection;
    exports dev.eventstore.query;
    exports dev.eventstore.internal to dev.eventstore.postgres;
}

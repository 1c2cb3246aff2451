/**
 * The PostgreSQL event store, its schema generator, the asynchronous projection runtime and the maintenance jobs,
 * without any Jakarta dependency. Packages named {@code internal} are not exported: they may change in any release.
 * The PostgreSQL JDBC driver ({@code org.postgresql.jdbc}) must be present at run time; Micrometer only when the
 * meter binders are used.
 */
@SuppressWarnings("requires-automatic") // Micrometer has an automatic module name only
module dev.eventstore.postgres {
    requires transitive dev.eventstore;
    requires transitive java.sql;
    requires static micrometer.core;

    exports dev.eventstore.postgres;
    exports dev.eventstore.postgres.spi;
    exports dev.eventstore.async;
    exports dev.eventstore.async.micrometer;
    exports dev.eventstore.jobs;
    exports dev.eventstore.jobs.micrometer;
    exports dev.eventstore.migration;
}

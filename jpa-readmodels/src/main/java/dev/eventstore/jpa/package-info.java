/**
 * JPA read models maintained by projections: {@link dev.eventstore.jpa.AggregateReadModel rows that remember the
 * last applied version}, {@link dev.eventstore.jpa.ReadModelWriter a writer that applies only newer events}, and
 * {@link dev.eventstore.jpa.ProjectionRebuild rebuilds from the event log}. Everything works on the application's
 * own {@code EntityManager}, inside whatever JTA transaction is current.
 */
package dev.eventstore.jpa;

/**
 * Annotations that declare projections: {@link dev.eventstore.projection.Projection} on a CDI bean,
 * {@link dev.eventstore.projection.EventHandler} on its handler methods and, for an asynchronous projection that can
 * be rebuilt, {@link dev.eventstore.projection.ProjectionReset} on the method that clears its read model.
 */
package dev.eventstore.projection;

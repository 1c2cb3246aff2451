/**
 * Annotations that declare projections: {@link dev.eventstore.projection.Projection} on a CDI bean and
 * {@link dev.eventstore.projection.EventHandler} on its handler methods.
 */
package dev.eventstore.projection;

/**
 * The annotation processor that generates an {@code dev.eventstore.mapping.EventMapper} for each
 * {@code dev.eventstore.mapping.EventFamily}. It is registered for {@link java.util.ServiceLoader} discovery, so a
 * compilation with this jar on its class path (JDK 17 to 22) or on its processor path runs it.
 */
package dev.eventstore.mapping.processor;

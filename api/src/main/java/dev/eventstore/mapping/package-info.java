/**
 * Type-safe event mapping: domain events stay plain Java records, an annotation processor generates one
 * {@link dev.eventstore.mapping.EventMapper} per {@link dev.eventstore.mapping.EventFamily} at compile time.
 *
 * <p>Nothing here scans the class path or reflects at run time: the processor writes the type names, versions,
 * JSON-B calls and upcaster calls as plain Java source that can be read and stepped through.
 */
package dev.eventstore.mapping;

/**
 * For libraries that extend the container integration: a {@link dev.eventstore.cdi.spi.ConfiguredProjectionProvider}
 * adds an asynchronous projection from configuration, found with {@link java.util.ServiceLoader}. Applications do not
 * use these types.
 */
package dev.eventstore.cdi.spi;

package dev.eventstore.cdi.spi;

import java.util.Optional;

/**
 * Adds an asynchronous projection to a deployment from configuration alone, such as the RabbitMQ publisher of
 * {@code eventstore-rabbitmq}. A library that has one lists its provider class in
 * {@code META-INF/services/dev.eventstore.cdi.spi.ConfiguredProjectionProvider}; the CDI extension finds it with
 * {@link java.util.ServiceLoader} when the library's jar sits beside the extension's (an EAR's {@code lib/}, a WAR's
 * {@code WEB-INF/lib/}), asks it at deployment validation to read its keys, and runs what it returns when the
 * application starts, on every node, in an asynchronous projection runtime of its own.
 *
 * <p>This way the core artifacts depend on no client library: the library that brings one also brings its provider.
 * An implementation must be public, with a public constructor taking no arguments.
 */
public interface ConfiguredProjectionProvider {

    /**
     * Reads and checks this provider's keys, at deployment validation, before anything runs.
     *
     * @param config the deployment's configuration; invalid values are recorded there, and the deployment fails
     *               listing them with the store's own invalid keys
     * @return the projection to run; empty when this provider is not configured (or its configuration is invalid)
     */
    Optional<ConfiguredProjection> configure(ConfigValues config);
}

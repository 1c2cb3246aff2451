package dev.eventstore.cdi.spi;

import dev.eventstore.async.AsyncProjections;
import dev.eventstore.postgres.StoreConfig;

/**
 * An asynchronous projection a {@link ConfiguredProjectionProvider} read from configuration. The extension runs it in
 * an {@link AsyncProjections} runtime of its own (so its batch size and failure policy are its own business), starts
 * that runtime with the application, reports it in the readiness and liveness checks beside the {@code @Projection}
 * beans, and closes it, then what {@link #registerWith} returned, when the application stops.
 */
public interface ConfiguredProjection {

    /** The projection name: it keys the checkpoint and names the projection in status and health reports. */
    String name();

    /**
     * The configuration key that sets {@link #name()} (or would), named when the name clashes with another
     * projection's.
     */
    String nameKey();

    /**
     * Registers the projection under {@link #name()}. The builder comes set up by the container: batches in JTA
     * transactions on the store's datasource, threads from the container's {@code ManagedThreadFactory}, this node's
     * name, and the {@code eventstore.async.*} settings; the projection may change its batch size and
     * {@code maxFailures}.
     *
     * @param runtime the runtime builder to register with
     * @param config  the store's tables and notify channel, as the injected {@code EventStore} uses them
     * @return what to close after the runtime has stopped, such as a connection to a broker
     */
    AutoCloseable registerWith(AsyncProjections.Builder runtime, StoreConfig config);
}

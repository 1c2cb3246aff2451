package dev.eventstore.cdi.internal;

import dev.eventstore.async.AsyncProjections;

import java.util.List;

/**
 * The runtimes of the projections added from configuration, one each, with what to close after them (a broker
 * connection). A singleton bean, destroyed with the application.
 */
public final class ConfiguredRuntimes implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConfiguredRuntimes.class.getName());

    private final List<AsyncProjections> runtimes;
    private final List<AutoCloseable> resources;

    ConfiguredRuntimes(List<AsyncProjections> runtimes, List<AutoCloseable> resources) {
        this.runtimes = List.copyOf(runtimes);
        this.resources = List.copyOf(resources);
    }

    List<AsyncProjections> runtimes() {
        return runtimes;
    }

    /** Stops every runtime (giving its lease back), then closes the resources. */
    @Override
    public void close() {
        runtimes.forEach(AsyncProjections::close);
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Closing " + resource + " failed: " + e);
            }
        }
    }
}

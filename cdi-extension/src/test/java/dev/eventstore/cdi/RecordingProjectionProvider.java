package dev.eventstore.cdi;

import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.cdi.spi.ConfigValues;
import dev.eventstore.cdi.spi.ConfiguredProjection;
import dev.eventstore.cdi.spi.ConfiguredProjectionProvider;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.JtaEnvironment;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A provider as a library would ship one (listed in this module's test META-INF/services): inert unless
 * {@code eventstore.recording.enabled=true}; then a projection that records the events of aggregate type
 * {@code Recorded} and the JTA status of each batch.
 */
public final class RecordingProjectionProvider implements ConfiguredProjectionProvider {

    static final String ENABLED = "eventstore.recording.enabled";
    static final String NAME = "eventstore.recording.name";
    static final String BATCH_SIZE = "eventstore.recording.batch-size";

    record Seen(PersistedEvent event, int transactionStatus) {
    }

    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
    static final AtomicBoolean CLOSED = new AtomicBoolean();

    @Override
    public Optional<ConfiguredProjection> configure(ConfigValues config) {
        if (!config.flag(ENABLED, false)) {
            return Optional.empty();
        }
        String name = config.text(NAME).orElse("recording");
        int batchSize = config.integer(BATCH_SIZE, 10, 1, 10);
        return Optional.of(new ConfiguredProjection() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String nameKey() {
                return NAME;
            }

            @Override
            public AutoCloseable registerWith(AsyncProjections.Builder runtime, StoreConfig store) {
                runtime.batchSize(batchSize).register(name, Set.of("Recorded"), (connection, events) -> {
                    int status = JtaEnvironment.synchronizationRegistry().getTransactionStatus();
                    events.forEach(event -> SEEN.add(new Seen(event, status)));
                });
                return () -> CLOSED.set(true);
            }
        });
    }
}

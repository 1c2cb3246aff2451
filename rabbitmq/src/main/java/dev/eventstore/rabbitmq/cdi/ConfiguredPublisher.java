package dev.eventstore.rabbitmq.cdi;

import com.rabbitmq.client.ConnectionFactory;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.cdi.spi.ConfiguredProjection;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.rabbitmq.RabbitMqPublisher;

import java.time.Duration;
import java.util.Set;

/**
 * A {@link RabbitMqPublisher} as the {@code eventstore.rabbitmq.*} keys describe it, checked at deployment and built
 * when the application starts, for the store's tables.
 *
 * @param broker the broker's connection settings; copied for each publisher
 */
record ConfiguredPublisher(ConnectionFactory broker, String exchange, boolean durable, boolean declareExchange,
                           int batchSize, Duration confirmTimeout, String name, String nameKey,
                           Set<String> aggregateTypes) implements ConfiguredProjection {

    ConfiguredPublisher {
        aggregateTypes = Set.copyOf(aggregateTypes);
    }

    /**
     * Builds the publisher and registers it; as with {@link RabbitMqPublisher#projections}, the runtime (its own)
     * takes the publisher's batch size and never parks it, so a broker outage delays publishing but never stops it.
     *
     * @return the publisher, closed after the runtime
     */
    @Override
    public AutoCloseable registerWith(AsyncProjections.Builder runtime, StoreConfig config) {
        RabbitMqPublisher publisher = RabbitMqPublisher.builder(config)
                .connectionFactory(broker.clone())
                .exchange(exchange)
                .durable(durable)
                .declareExchange(declareExchange)
                .batchSize(batchSize)
                .confirmTimeout(confirmTimeout)
                .name(name)
                .aggregateTypes(aggregateTypes)
                .build();
        publisher.registerWith(runtime.batchSize(batchSize).maxFailures(Integer.MAX_VALUE));
        return publisher;
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "RabbitMQ publisher " + name + " to exchange '" + exchange + "' at " + broker.getHost() + ":"
                + broker.getPort() + broker.getVirtualHost();
    }
}

package dev.eventstore.rabbitmq.cdi;

import com.rabbitmq.client.ConnectionFactory;
import dev.eventstore.cdi.spi.ConfigValues;
import dev.eventstore.cdi.spi.ConfiguredProjection;
import dev.eventstore.cdi.spi.ConfiguredProjectionProvider;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.rabbitmq.RabbitMqPublisher;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code eventstore.rabbitmq.*} keys for eventstore-cdi's extension, which finds this class with
 * {@link java.util.ServiceLoader} and runs the {@link RabbitMqPublisher} they describe as an asynchronous projection
 * of its own (docs/configuration.md lists the keys). The publisher is enabled by {@code eventstore.rabbitmq.enabled},
 * or implied by a {@code uri} or {@code host}; every invalid value is reported at deployment, never a password.
 */
public final class RabbitMqProjectionProvider implements ConfiguredProjectionProvider {

    static final String PREFIX = "eventstore.rabbitmq.";
    static final String ENABLED = PREFIX + "enabled";
    static final String URI = PREFIX + "uri";
    static final String HOST = PREFIX + "host";
    static final String PORT = PREFIX + "port";
    static final String USERNAME = PREFIX + "username";
    static final String PASSWORD = PREFIX + "password";
    static final String VIRTUAL_HOST = PREFIX + "virtual-host";
    static final String EXCHANGE = PREFIX + "exchange";
    static final String DURABLE = PREFIX + "durable";
    static final String DECLARE_EXCHANGE = PREFIX + "declare-exchange";
    static final String BATCH_SIZE = PREFIX + "batch-size";
    static final String CONFIRM_TIMEOUT = PREFIX + "confirm-timeout";
    static final String NAME = PREFIX + "name";
    static final String AGGREGATE_TYPES = PREFIX + "aggregate-types";

    /** The broker's address in parts, the alternative to {@link #URI}. */
    private static final List<String> ADDRESS_KEYS = List.of(HOST, PORT, USERNAME, PASSWORD, VIRTUAL_HOST);
    private static final List<String> PUBLISHER_KEYS = List.of(PORT, USERNAME, PASSWORD, VIRTUAL_HOST, EXCHANGE,
            DURABLE, DECLARE_EXCHANGE, BATCH_SIZE, CONFIRM_TIMEOUT, NAME, AGGREGATE_TYPES);

    /** For {@link java.util.ServiceLoader}. */
    public RabbitMqProjectionProvider() {
    }

    @Override
    public Optional<ConfiguredProjection> configure(ConfigValues config) {
        Optional<String> uri = config.text(URI);
        Optional<String> host = config.text(HOST);
        boolean enabled = config.flag(ENABLED, uri.isPresent() || host.isPresent());
        if (!enabled) {
            if (config.text(ENABLED).isEmpty()) {
                List<String> stray = PUBLISHER_KEYS.stream().filter(key -> config.text(key).isPresent()).toList();
                if (!stray.isEmpty()) {
                    config.problem(String.join(", ", stray) + " set, but the RabbitMQ publisher is not enabled: set "
                            + URI + " or " + HOST + " (or " + ENABLED + "=true for localhost:5672), or remove them");
                }
            }
            return Optional.empty();
        }
        ConnectionFactory broker = broker(config, uri, host);
        RabbitMqPublisher.Builder probe = RabbitMqPublisher.builder(StoreConfig.defaults());
        Optional<String> exchange = config.text(EXCHANGE);
        if (exchange.isEmpty()) {
            config.problem(EXCHANGE + " is required when the RabbitMQ publisher is enabled: name the topic exchange"
                    + " to publish to");
        } else {
            check(config, EXCHANGE, () -> probe.exchange(exchange.get()));
        }
        Optional<String> name = config.text(NAME);
        name.ifPresent(value -> check(config, NAME, () -> probe.name(value)));
        Set<String> aggregateTypes = config.text(AGGREGATE_TYPES).map(RabbitMqProjectionProvider::list).orElse(Set.of());
        ConfiguredPublisher publisher = new ConfiguredPublisher(broker, exchange.orElse("unnamed"),
                config.flag(DURABLE, true), config.flag(DECLARE_EXCHANGE, true),
                config.integer(BATCH_SIZE, 100, 1, 10_000),
                config.duration(CONFIRM_TIMEOUT, Duration.ofSeconds(30)),
                name.orElse("rabbitmq-" + exchange.orElse("unnamed")), NAME, aggregateTypes);
        return Optional.of(publisher);
    }

    /** The broker from the URI or from its parts; localhost:5672 as guest when neither is given. */
    private static ConnectionFactory broker(ConfigValues config, Optional<String> uri, Optional<String> host) {
        ConnectionFactory factory = new ConnectionFactory();
        if (uri.isPresent()) {
            List<String> parts = ADDRESS_KEYS.stream().filter(key -> config.text(key).isPresent()).toList();
            if (!parts.isEmpty()) {
                config.problem(URI + " and " + String.join(", ", parts) + " exclude each other: give the broker"
                        + " either as a URI or as host, port, username, password and virtual-host");
            }
            try {
                factory.setUri(uri.get());
            } catch (Exception e) {
                // The URI may hold a password: say what is wrong without repeating it.
                config.problem(URI + " must be an AMQP URI such as amqp://user:password@host:5672/vhost; was not ("
                        + e.getClass().getSimpleName() + ")");
            }
            return factory;
        }
        factory.setHost(host.orElse("localhost"));
        factory.setPort(config.integer(PORT, ConnectionFactory.DEFAULT_AMQP_PORT, 1, 65_535));
        config.text(USERNAME).ifPresent(factory::setUsername);
        config.text(PASSWORD).ifPresent(factory::setPassword);
        config.text(VIRTUAL_HOST).ifPresent(factory::setVirtualHost);
        return factory;
    }

    private static void check(ConfigValues config, String key, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            config.problem(key + ": " + e.getMessage());
        }
    }

    private static Set<String> list(String commaSeparated) {
        Set<String> values = new LinkedHashSet<>();
        Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(value -> !value.isEmpty())
                .forEach(values::add);
        return values;
    }
}

package dev.eventstore.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import dev.eventstore.PersistedEvent;
import dev.eventstore.async.AsyncProjectionHandler;
import dev.eventstore.async.AsyncProjections;
import dev.eventstore.postgres.StoreConfig;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Publishes committed events to a RabbitMQ topic exchange, as an asynchronous projection: it sees events in
 * (transaction id, position) order, only once they are committed (a rolled-back append is never published), and
 * resumes from its checkpoint after a restart.
 *
 * <p>Each batch is published with publisher confirms, and {@link #handle} returns only when the broker has confirmed
 * every message of it, so the runtime commits the checkpoint only after that. When the broker is unreachable, nacks a
 * message, closes the channel or does not confirm within the timeout, {@code handle} throws
 * {@link PublishFailedException}: the checkpoint stays where it was, the runtime retries the batch with its backoff
 * (the projection status shows the failures and the growing lag), and the publisher opens a new connection for the
 * next attempt. Nothing is skipped; delivery is <em>at-least-once</em>: after a failure between the broker's confirm
 * and the checkpoint's commit the batch is published again, with the same message ids.
 *
 * <p>Each message: routing key the event's topic, or its event type when it has none; message id the event id (the
 * key to deduplicate on); content type {@code application/json}; persistent delivery; type the event type; timestamp
 * the event's created-at (seconds); AMQP correlation id the event's correlation id; and the headers named by the
 * {@code HEADER_} constants.
 *
 * <pre>{@code
 * RabbitMqPublisher publisher = RabbitMqPublisher.builder(config)
 *         .uri("amqp://guest:guest@localhost:5672")
 *         .exchange("events")
 *         .build();
 * AsyncProjections bus = publisher.projections(dataSource).build();
 * bus.start();
 * }</pre>
 *
 * <p>Thread-safe: batches are published one at a time.
 */
public final class RabbitMqPublisher implements AsyncProjectionHandler, AutoCloseable {

    /** Header: the aggregate type (text). */
    public static final String HEADER_AGGREGATE_TYPE = "aggregate-type";
    /** Header: the aggregate id (text). */
    public static final String HEADER_AGGREGATE_ID = "aggregate-id";
    /** Header: the event's version in its aggregate's stream (long), to order or deduplicate per aggregate. */
    public static final String HEADER_AGGREGATE_VERSION = "aggregate-version";
    /** Header: the event type (text). */
    public static final String HEADER_EVENT_TYPE = "event-type";
    /** Header: the payload's schema version (int). */
    public static final String HEADER_EVENT_VERSION = "event-version";
    /** Header: the event's global position in the store (long). */
    public static final String HEADER_GLOBAL_POSITION = "global-position";
    /** Header: the id of the transaction that wrote the event (long). */
    public static final String HEADER_TRANSACTION_ID = "transaction-id";
    /** Header: the event's topic (text), absent when it has none. */
    public static final String HEADER_TOPIC = "topic";
    /** Header: the trace id (text), absent when the event has none. */
    public static final String HEADER_TRACE_ID = "trace-id";
    /** Header: the correlation id (text), absent when the event has none; also the AMQP correlation id. */
    public static final String HEADER_CORRELATION_ID = "correlation-id";
    /** Header: the causation id (text), absent when the event has none. */
    public static final String HEADER_CAUSATION_ID = "causation-id";
    /** Header: the event's metadata JSON object (text), absent when it is {@code {}}. */
    public static final String HEADER_METADATA = "metadata";

    /** The content type of every message: the store's payloads are JSON by default. */
    public static final String CONTENT_TYPE = "application/json";

    private static final System.Logger LOG = System.getLogger(RabbitMqPublisher.class.getName());
    /** AMQP short strings (exchange names, routing keys) hold at most 255 bytes. */
    private static final int SHORT_STRING_BYTES = 255;
    private static final Pattern EXCHANGE_NAME = Pattern.compile("[A-Za-z0-9_.:-]+");
    private static final int PERSISTENT = 2;

    private final ConnectionFactory factory;
    private final String exchange;
    private final boolean durable;
    private final boolean declareExchange;
    private final int batchSize;
    private final Duration confirmTimeout;
    private final String name;
    private final Set<String> aggregateTypes;
    private final StoreConfig config;
    private final String transactionIdsSql;

    private com.rabbitmq.client.Connection connection;
    private Channel channel;
    private boolean closed;

    private RabbitMqPublisher(Builder builder) {
        this.factory = builder.factory;
        this.exchange = builder.exchange;
        this.durable = builder.durable;
        this.declareExchange = builder.declareExchange;
        this.batchSize = builder.batchSize;
        this.confirmTimeout = builder.confirmTimeout;
        this.name = builder.name == null ? "rabbitmq-" + builder.exchange : builder.name;
        this.aggregateTypes = builder.aggregateTypes;
        this.config = builder.config;
        this.transactionIdsSql = "SELECT global_position, transaction_id::text FROM " + config.eventsTable().sql()
                + " WHERE global_position = ANY(?)";
    }

    /**
     * Starts a publisher for the store described by {@code config} (its events table; with
     * {@link #projections(DataSource)} also its notify channel).
     */
    public static Builder builder(StoreConfig config) {
        return new Builder(config);
    }

    /** The projection name, which keys the publisher's checkpoint. */
    public String name() {
        return name;
    }

    /** The aggregate types published; empty for all. */
    public Set<String> aggregateTypes() {
        return aggregateTypes;
    }

    public String exchange() {
        return exchange;
    }

    /** Messages published before the publisher waits for the broker's confirms. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * An {@link AsyncProjections} builder that runs this publisher: batches of {@link #batchSize()} events, and
     * failures never park it ({@code maxFailures} at its maximum), so a broker outage delays publishing but never
     * stops it. Adjust the rest (node name, threads, poll interval, backoff) before {@code build()}.
     */
    public AsyncProjections.Builder projections(DataSource dataSource) {
        return registerWith(AsyncProjections.builder(dataSource, config).batchSize(batchSize)
                .maxFailures(Integer.MAX_VALUE));
    }

    /**
     * Registers this publisher with {@code projections} under {@link #name()}. Their {@code maxFailures} then applies:
     * after that many consecutive failed attempts (a broker outage) the publisher is parked until
     * {@link AsyncProjections#resume(String)}.
     */
    public AsyncProjections.Builder registerWith(AsyncProjections.Builder projections) {
        return Objects.requireNonNull(projections, "projections must not be null")
                .register(name, aggregateTypes, this);
    }

    /**
     * Publishes {@code events} and waits for the broker's confirms; returns only when every message is confirmed.
     *
     * @throws PublishFailedException when the broker cannot be reached or does not confirm every message
     */
    @Override
    public synchronized void handle(Connection database, List<PersistedEvent> events) throws Exception {
        if (closed) {
            throw new IllegalStateException("publisher " + name + " is closed; build a new one to publish again");
        }
        if (events.isEmpty()) {
            return;
        }
        String[] routingKeys = new String[events.size()];
        for (int i = 0; i < routingKeys.length; i++) {
            routingKeys[i] = routingKey(events.get(i));
        }
        Map<Long, Long> transactionIds = transactionIds(database, events);
        Channel open;
        try {
            open = channel();
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            disconnect();
            throw new PublishFailedException("cannot connect to RabbitMQ at " + address() + " to publish "
                    + events.size() + " events to exchange '" + exchange + "'; the batch is retried with backoff,"
                    + " nothing is skipped: " + e, e);
        }
        long timeoutMillis = Math.max(1, confirmTimeout.toMillis());
        int unconfirmed = 0;
        try {
            for (int i = 0; i < routingKeys.length; i++) {
                PersistedEvent event = events.get(i);
                open.basicPublish(exchange, routingKeys[i], false,
                        properties(event, transactionIds.get(event.globalPosition())), event.payload());
                if (++unconfirmed == batchSize) {
                    open.waitForConfirmsOrDie(timeoutMillis);
                    unconfirmed = 0;
                }
            }
            if (unconfirmed > 0) {
                open.waitForConfirmsOrDie(timeoutMillis);
            }
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            disconnect();
            throw new PublishFailedException("RabbitMQ at " + address() + " did not confirm the batch of "
                    + events.size() + " events (positions " + events.get(0).globalPosition() + " to "
                    + events.get(events.size() - 1).globalPosition() + ") on exchange '" + exchange + "'; it is"
                    + " published again with the same message ids: " + e, e);
        } catch (InterruptedException e) {
            disconnect();
            Thread.currentThread().interrupt();
            throw e;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> name + " published and confirmed " + events.size() + " events");
    }

    /** Closes the broker connection. The projection runtime running this publisher should be closed first. */
    @Override
    public synchronized void close() {
        closed = true;
        disconnect();
    }

    private String routingKey(PersistedEvent event) {
        String key = event.topic() != null ? event.topic() : event.eventType();
        if (key.getBytes(StandardCharsets.UTF_8).length > SHORT_STRING_BYTES) {
            throw new IllegalStateException("event type '" + key.substring(0, 40) + "...' of event "
                    + event.eventId() + " (position " + event.globalPosition() + ") is longer than an AMQP routing"
                    + " key (255 bytes) and the event has no topic; give such events a topic");
        }
        return key;
    }

    private AMQP.BasicProperties properties(PersistedEvent event, Long transactionId) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(HEADER_AGGREGATE_TYPE, event.aggregateType());
        headers.put(HEADER_AGGREGATE_ID, event.aggregateId());
        headers.put(HEADER_AGGREGATE_VERSION, event.aggregateVersion());
        headers.put(HEADER_EVENT_TYPE, event.eventType());
        headers.put(HEADER_EVENT_VERSION, event.eventVersion());
        headers.put(HEADER_GLOBAL_POSITION, event.globalPosition());
        putIfPresent(headers, HEADER_TRANSACTION_ID, transactionId);
        putIfPresent(headers, HEADER_TOPIC, event.topic());
        putIfPresent(headers, HEADER_TRACE_ID, event.traceId());
        putIfPresent(headers, HEADER_CORRELATION_ID, event.correlationId());
        putIfPresent(headers, HEADER_CAUSATION_ID, event.causationId());
        String metadata = event.metadataAsString();
        if (!metadata.equals("{}")) {
            headers.put(HEADER_METADATA, metadata);
        }
        return new AMQP.BasicProperties.Builder()
                .messageId(event.eventId().toString())
                .contentType(CONTENT_TYPE)
                .deliveryMode(PERSISTENT)
                .type(event.eventType())
                .timestamp(Date.from(event.createdAt()))
                .correlationId(event.correlationId())
                .headers(headers)
                .build();
    }

    private static void putIfPresent(Map<String, Object> headers, String name, Object value) {
        if (value != null) {
            headers.put(name, value);
        }
    }

    /** The writing transaction of each event, read in the batch's own transaction. */
    private Map<Long, Long> transactionIds(Connection database, List<PersistedEvent> events) throws SQLException {
        Long[] positions = events.stream().map(PersistedEvent::globalPosition).toArray(Long[]::new);
        Map<Long, Long> ids = new HashMap<>();
        try (PreparedStatement query = database.prepareStatement(transactionIdsSql)) {
            query.setArray(1, database.createArrayOf("bigint", positions));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.put(rows.getLong(1), Long.parseLong(rows.getString(2)));
                }
            }
        }
        return ids;
    }

    /** The open confirm channel, connecting (and declaring the exchange) first when there is none. */
    private Channel channel() throws IOException, TimeoutException {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        disconnect();
        // A copy per connection: the caller's factory stays untouched, and the publisher reconnects by itself on the
        // next attempt, so the client's automatic recovery (which would replay nothing of an unconfirmed batch) is off.
        ConnectionFactory copy = factory.clone();
        copy.setAutomaticRecoveryEnabled(false);
        copy.setTopologyRecoveryEnabled(false);
        com.rabbitmq.client.Connection opened = copy.newConnection("eventstore " + name);
        try {
            Channel confirming = opened.createChannel();
            confirming.confirmSelect();
            if (declareExchange) {
                confirming.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, durable);
            }
            connection = opened;
            channel = confirming;
        } catch (IOException | RuntimeException e) {
            opened.abort();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, () -> name + " connected to RabbitMQ at " + address() + ", exchange '"
                + exchange + "'");
        return channel;
    }

    private void disconnect() {
        com.rabbitmq.client.Connection open = connection;
        connection = null;
        channel = null;
        if (open != null) {
            open.abort(1000);
        }
    }

    private String address() {
        return factory.getHost() + ":" + factory.getPort() + factory.getVirtualHost();
    }

    /** Settings of a {@link RabbitMqPublisher}; {@link #build()} checks them together. */
    public static final class Builder {
        private final StoreConfig config;
        private ConnectionFactory factory;
        private String exchange;
        private boolean durable = true;
        private boolean declareExchange = true;
        private int batchSize = 100;
        private Duration confirmTimeout = Duration.ofSeconds(30);
        private String name;
        private Set<String> aggregateTypes = Set.of();

        private Builder(StoreConfig config) {
            if (config == null) {
                throw new IllegalArgumentException("config must not be null; use the StoreConfig of the store whose"
                        + " events to publish");
            }
            this.config = config;
        }

        /**
         * The broker's connection settings (host, port, virtual host, credentials, TLS, timeouts). The publisher
         * copies it for each connection it opens, with automatic recovery off, since it reconnects by itself.
         */
        public Builder connectionFactory(ConnectionFactory factory) {
            if (factory == null) {
                throw new IllegalArgumentException("connectionFactory must not be null");
            }
            if (this.factory != null) {
                throw new IllegalArgumentException("set either connectionFactory(...) or uri(...), not both");
            }
            this.factory = factory;
            return this;
        }

        /** The broker as an AMQP URI, for example {@code amqp://user:password@host:5672/vhost}. */
        public Builder uri(String uri) {
            if (uri == null || uri.isBlank()) {
                throw new IllegalArgumentException("uri must not be blank; for example amqp://guest:guest@localhost");
            }
            ConnectionFactory parsed = new ConnectionFactory();
            try {
                parsed.setUri(uri);
            } catch (Exception e) {
                // The URI may hold a password: say what is wrong without repeating it.
                throw new IllegalArgumentException("uri is not an AMQP URI such as amqp://user:password@host:5672/vhost"
                        + " (" + e.getClass().getSimpleName() + ")");
            }
            return connectionFactory(parsed);
        }

        /**
         * The topic exchange to publish to (required): letters, digits, {@code -}, {@code _}, {@code .} and
         * {@code :}, at most 255 characters, not starting with the reserved {@code amq.}.
         */
        public Builder exchange(String exchange) {
            if (exchange == null || exchange.isBlank()) {
                throw new IllegalArgumentException("exchange must not be blank; name the topic exchange to publish to");
            }
            if (exchange.length() > SHORT_STRING_BYTES || !EXCHANGE_NAME.matcher(exchange).matches()) {
                throw new IllegalArgumentException("exchange '" + exchange + "' is not a valid exchange name: use at"
                        + " most 255 letters, digits, '-', '_', '.' and ':'");
            }
            if (exchange.startsWith("amq.")) {
                throw new IllegalArgumentException("exchange '" + exchange + "' uses the prefix 'amq.', which RabbitMQ"
                        + " reserves; choose another name");
            }
            this.exchange = exchange;
            return this;
        }

        /** Whether the exchange is declared durable (survives a broker restart); default {@code true}. */
        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /**
         * Whether the publisher declares the exchange (a topic exchange, {@link #durable(boolean)}) on each
         * connection; default {@code true}. Turn it off when the exchange is managed elsewhere; publishing to an
         * exchange that does not exist then fails and is retried.
         */
        public Builder declareExchange(boolean declareExchange) {
            this.declareExchange = declareExchange;
            return this;
        }

        /**
         * How many messages are published before waiting for their confirms, 1 to 10000; default 100. Through
         * {@link RabbitMqPublisher#projections(DataSource)} also the runtime's batch: the events whose checkpoint
         * commits together, and at most what is published again after a failure.
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be between 1 and 10000, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** How long to wait for the broker's confirms before the batch counts as failed; default 30 s. */
        public Builder confirmTimeout(Duration confirmTimeout) {
            if (confirmTimeout == null || confirmTimeout.isNegative() || confirmTimeout.isZero()) {
                throw new IllegalArgumentException("confirmTimeout must be positive, was " + confirmTimeout);
            }
            this.confirmTimeout = confirmTimeout;
            return this;
        }

        /**
         * The projection name, which keys the checkpoint; default {@code rabbitmq-<exchange>}. A new name starts
         * from the beginning of the log, so it publishes every event stored so far.
         */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** Publish only events of these aggregate types; default (empty) all. */
        public Builder aggregateTypes(Set<String> aggregateTypes) {
            if (aggregateTypes == null) {
                throw new IllegalArgumentException("aggregateTypes must not be null; use Set.of() for all");
            }
            this.aggregateTypes = Set.copyOf(aggregateTypes);
            return this;
        }

        public RabbitMqPublisher build() {
            if (exchange == null) {
                throw new IllegalArgumentException("exchange is required: name the topic exchange to publish to");
            }
            if (factory == null) {
                throw new IllegalArgumentException("connection settings are required: set connectionFactory(...) or"
                        + " uri(...)");
            }
            return new RabbitMqPublisher(this);
        }
    }
}

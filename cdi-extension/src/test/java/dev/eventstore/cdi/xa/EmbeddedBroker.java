package dev.eventstore.cdi.xa;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQXAConnectionFactory;

import javax.transaction.xa.Xid;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real ActiveMQ Artemis broker inside the test JVM, reached over TCP like a standalone one, so that child JVMs can
 * use it and die without taking it with them. It keeps prepared XA transactions until a transaction manager resolves
 * them, which is what the crash tests rely on.
 */
final class EmbeddedBroker implements AutoCloseable {

    private final EmbeddedActiveMQ broker;
    private final String url;

    private EmbeddedBroker(EmbeddedActiveMQ broker, String url) {
        this.broker = broker;
        this.url = url;
    }

    /** Starts a broker with the given anycast queues, its files under {@code directory}. */
    static EmbeddedBroker start(Path directory, String... queues) throws Exception {
        Files.createDirectories(directory);
        String url = "tcp://127.0.0.1:" + freePort();
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setName("xa-test-broker");
        configuration.setPersistenceEnabled(false);
        configuration.setSecurityEnabled(false);
        configuration.setJMXManagementEnabled(false);
        configuration.setBrokerInstance(directory.toFile());
        configuration.addAcceptorConfiguration("tcp", url);
        for (String queue : queues) {
            configuration.addQueueConfiguration(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST));
        }
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(configuration);
        broker.start();
        return new EmbeddedBroker(broker, url);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Adds an anycast queue, for a test that wants one of its own. */
    void createQueue(String queue) throws Exception {
        server().createQueue(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST));
    }

    String url() {
        return url;
    }

    ActiveMQXAConnectionFactory xaConnectionFactory() {
        return new ActiveMQXAConnectionFactory(url);
    }

    /** Messages on the queue that a consumer could receive now (prepared or uncommitted sends are not counted). */
    long messageCount(String queue) {
        return server().locateQueue(SimpleString.of(queue)).getMessageCount();
    }

    /** The broker's prepared, unresolved XA branches whose global transaction id is {@code globalTransactionId}. */
    List<Xid> prepared(byte[] globalTransactionId) {
        List<Xid> prepared = new ArrayList<>();
        for (Xid xid : server().getResourceManager().getPreparedTransactions()) {
            if (Arrays.equals(xid.getGlobalTransactionId(), globalTransactionId)) {
                prepared.add(xid);
            }
        }
        return prepared;
    }

    /** All prepared, unresolved XA branches of the broker. */
    List<Xid> allPrepared() {
        return server().getResourceManager().getPreparedTransactions();
    }

    /**
     * Consumes every message on the queue: waits up to 10 s for the first of {@code expected} messages and until all
     * expected have come, then as long as more keep arriving within 500 ms, so a duplicate would be seen.
     */
    List<Message> drain(String queue, int expected) throws JMSException {
        List<Message> received = new ArrayList<>();
        try (Connection connection = new ActiveMQConnectionFactory(url).createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            connection.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (received.size() < expected && System.nanoTime() < deadline) {
                Message message = consumer.receive(250);
                if (message != null) {
                    received.add(message);
                }
            }
            Message more;
            while ((more = consumer.receive(500)) != null) {
                received.add(more);
            }
        }
        return received;
    }

    private ActiveMQServer server() {
        return broker.getActiveMQServer();
    }

    @Override
    public void close() throws IOException {
        try {
            broker.stop();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the embedded broker did not stop", e);
        }
    }
}

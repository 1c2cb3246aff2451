package dev.eventstore.rabbitmq;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay in front of the real broker, so a test can make it unreachable (the port refuses connections) or cut
 * every open connection mid-batch, without touching the broker other sessions use.
 */
final class BrokerProxy implements AutoCloseable {

    private final String brokerHost;
    private final int brokerPort;
    private final int port;
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicLong clientBytes = new AtomicLong();
    private volatile long cutAtClientBytes = Long.MAX_VALUE;
    private volatile ServerSocket server;

    BrokerProxy(String brokerHost, int brokerPort) throws IOException {
        this.brokerHost = brokerHost;
        this.brokerPort = brokerPort;
        ServerSocket first = new ServerSocket();
        first.setReuseAddress(true);
        first.bind(new InetSocketAddress("127.0.0.1", 0));
        this.port = first.getLocalPort();
        listen(first);
    }

    int port() {
        return port;
    }

    /** Refuses new connections and drops the open ones: the broker is unreachable. */
    synchronized void stop() throws IOException {
        ServerSocket open = server;
        server = null;
        if (open != null) {
            open.close();
        }
        cut();
    }

    /** Accepts connections again, on the same port. */
    synchronized void start() throws IOException {
        if (server == null) {
            ServerSocket again = new ServerSocket();
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress("127.0.0.1", port));
            listen(again);
        }
    }

    /** Drops every open connection once the client has sent {@code bytes} more bytes through the relay. */
    void cutAfterClientBytes(long bytes) {
        cutAtClientBytes = clientBytes.get() + bytes;
    }

    /** Drops every open connection now. */
    synchronized void cut() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        sockets.clear();
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private void listen(ServerSocket socket) {
        server = socket;
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Socket broker = new Socket(brokerHost, brokerPort);
                    synchronized (this) {
                        sockets.add(client);
                        sockets.add(broker);
                    }
                    pump(client.getInputStream(), broker.getOutputStream(), true, client, broker);
                    pump(broker.getInputStream(), client.getOutputStream(), false, client, broker);
                } catch (IOException e) {
                    // the server socket was closed, or the broker refused: the client sees a dropped connection
                }
            }
        }, "broker-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void pump(InputStream in, OutputStream out, boolean fromClient, Socket client, Socket broker) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                    if (fromClient && clientBytes.addAndGet(read) >= cutAtClientBytes) {
                        cutAtClientBytes = Long.MAX_VALUE;
                        cut();
                    }
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                closeQuietly(client);
                closeQuietly(broker);
            }
        }, "broker-proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}

package dev.eventstore.it;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server's JMS broker, asked from the test JVM which transaction branches it holds prepared: WildFly's embedded
 * Artemis through the server's management API (the client comes with the Arquillian adapter and logs in as the
 * local user, as the adapter does), Payara's OpenMQ through its own command line tool, {@code imqcmd list txn}.
 */
final class ServerBroker {

    /** OpenMQ's port in a Payara domain made with the default port base. */
    private static final String PAYARA_JMS_PORT = "7676";

    private ServerBroker() {
    }

    /** The number of branches the broker holds prepared, waiting for the coordinator's decision. */
    static int preparedTransactions() throws IOException, InterruptedException {
        return "payara".equals(System.getProperty("arquillian.launch")) ? openMqPrepared() : artemisPrepared();
    }

    private static int artemisPrepared() throws IOException {
        int port = Integer.parseInt(System.getProperty("it.management.port"));
        try (ModelControllerClient client = ModelControllerClient.Factory.create("remote+http", "localhost", port)) {
            ModelNode answer = client.execute(Operations.createOperation("list-prepared-transactions",
                    Operations.createAddress("subsystem", "messaging-activemq", "server", "default")));
            if (!Operations.isSuccessfulOutcome(answer)) {
                throw new IllegalStateException("list-prepared-transactions failed: "
                        + Operations.getFailureDescription(answer));
            }
            return Operations.readResult(answer).asList().size();
        }
    }

    private static int openMqPrepared() throws IOException, InterruptedException {
        Path passwordFile = Files.createTempFile("imqcmd", ".pass");
        try {
            // the embedded broker's administrator, as Payara's domain.xml sets it up
            Files.writeString(passwordFile, "imq.imqcmd.password=admin\n");
            String javaHome = System.getenv().getOrDefault("AS_JAVA", System.getProperty("java.home"));
            Process imqcmd = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("payara.home"), "mq", "bin", "imqcmd").toString(), "list", "txn",
                    "-b", "localhost:" + System.getProperty("it.payara.jms.port", PAYARA_JMS_PORT),
                    "-u", "admin", "-passfile", passwordFile.toString(), "-javahome", javaHome))
                    .redirectErrorStream(true).start();
            String output = new String(imqcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!imqcmd.waitFor(60, TimeUnit.SECONDS) || imqcmd.exitValue() != 0) {
                throw new IllegalStateException("imqcmd list txn failed:\n" + output);
            }
            // one row per transaction: id, state, user, messages/acknowledgements, creation time
            return (int) output.lines().filter(line -> line.matches("\\s*\\d+\\s+PREPARED\\s.*")).count();
        } finally {
            Files.deleteIfExists(passwordFile);
        }
    }
}

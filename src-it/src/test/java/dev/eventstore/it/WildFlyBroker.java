package dev.eventstore.it;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import java.io.IOException;

/**
 * WildFly's embedded Artemis broker, asked through the server's management API (the client comes with the
 * Arquillian adapter, and logs in as the local user, as the adapter does): which transaction branches it holds
 * prepared.
 */
final class WildFlyBroker {

    private WildFlyBroker() {
    }

    static boolean isTheServer() {
        return "wildfly".equals(System.getProperty("arquillian.launch"));
    }

    /** The number of branches the broker holds prepared, waiting for the coordinator's decision. */
    static int preparedTransactions() throws IOException {
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
}

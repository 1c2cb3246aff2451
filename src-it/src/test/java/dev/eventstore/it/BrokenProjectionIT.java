package dev.eventstore.it;

import dev.eventstore.it.app.BrokenProjection;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A projection without a handler fails the deployment itself, with a message naming the class. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrokenProjectionIT {

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "broken", managed = false, testable = false)
    static WebArchive broken() {
        return ItArchives.war("broken-projection.war").addClass(BrokenProjection.class);
    }

    @Test
    void theDeploymentFailsNamingTheProjection() {
        Exception failure = assertThrows(Exception.class, () -> deployer.deploy("broken"));

        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertTrue(trace.toString().contains(BrokenProjection.class.getName() + ": has no @EventHandler method"),
                () -> "deployment failure does not name the projection:\n" + trace);
    }
}

package dev.eventstore.it;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store pointed at the server's H2 datasource (a stock WildFly's default, Payara's timer pool) fails the
 * deployment, naming the setting to change, instead of failing at the first append.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WrongDatabaseIT {

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "h2", managed = false, testable = false)
    static WebArchive onH2() {
        String h2 = "payara".equals(System.getProperty("arquillian.launch"))
                ? "jdbc/__TimerPool" : "java:jboss/datasources/ExampleDS";
        return ItArchives.war("eventstore-on-h2.war")
                .addAsResource(new StringAsset("eventstore.datasource=" + h2 + "\n"),
                        "META-INF/microprofile-config.properties");
    }

    @Test
    void theDeploymentFailsNamingTheSettingToChange() {
        Exception failure = assertThrows(Exception.class, () -> deployer.deploy("h2"));

        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertTrue(trace.toString().contains("not PostgreSQL"), () -> "the failure does not say why:\n" + trace);
        assertTrue(trace.toString().contains("Set eventstore.datasource to the JNDI name of a PostgreSQL datasource"),
                () -> "the failure does not name the setting:\n" + trace);
    }
}

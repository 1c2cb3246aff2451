package dev.eventstore.it;

import dev.eventstore.it.app.EarOnlyProjection;
import dev.eventstore.it.app.OpsRows;
import dev.eventstore.it.app.ItSchema;
import dev.eventstore.it.app.OpsSchema;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.util.UUID;

import static dev.eventstore.it.OpsClient.await;

/**
 * An EAR with the store in lib/ and one EJB module holding an ASYNC projection, no web module, nothing that appends:
 * a projection-only node. Its projection must run from deployment on.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProjectionOnlyEarIT {

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        JavaArchive ejb = ShrinkWrap.create(JavaArchive.class, "projections.jar")
                .addClasses(EarOnlyProjection.class, OpsRows.class, OpsSchema.class, ItSchema.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
        // An EAR's start has no java:comp: the datasource is named by its global JNDI name (docs/jakarta-ee.md).
        String dataSource = "payara".equals(System.getProperty("arquillian.launch"))
                ? "jdbc/__default" : "java:jboss/datasources/EventStoreDS";
        JavaArchive config = ShrinkWrap.create(JavaArchive.class, "config.jar")
                .addAsManifestResource(new StringAsset("eventstore.datasource=" + dataSource + "\n"),
                        "microprofile-config.properties");
        return ShrinkWrap.create(EnterpriseArchive.class, "eventstore-projection-only.ear")
                .addAsModule(ejb)
                .addAsLibrary(config)
                .addAsLibraries(new File(System.getProperty("eventstore.api.jar")),
                        new File(System.getProperty("eventstore.postgres.jar")),
                        new File(System.getProperty("eventstore.cdi.jar")));
    }

    @Test
    void theProjectionOfAnEarWithoutWebModuleRunsFromDeploymentOn() throws Exception {
        UUID id = OpsClient.append("EarOnly", "Opened");

        await(() -> OpsClient.handled("it-ear-only", id), "the EAR's projection handles the event");
    }
}

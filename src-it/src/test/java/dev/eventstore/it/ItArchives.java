package dev.eventstore.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/** Test WARs carrying the event store jars exactly as built, like an application bundling them in WEB-INF/lib. */
final class ItArchives {

    private ItArchives() {
    }

    static WebArchive war(String name) {
        return ShrinkWrap.create(WebArchive.class, name)
                .addAsLibraries(new File(System.getProperty("eventstore.api.jar")),
                        new File(System.getProperty("eventstore.postgres.jar")),
                        new File(System.getProperty("eventstore.cdi.jar")))
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }
}

package dev.eventstore.it;

import jakarta.annotation.Resource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The managed server is configured as the event store expects: its default datasource is the PostgreSQL one. */
@ExtendWith(ArquillianExtension.class)
class ContainerSmokeIT {

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource defaultDataSource;

    @Deployment
    static WebArchive deployment() {
        return ShrinkWrap.create(WebArchive.class, "smoke.war").addClass(ContainerSmokeIT.class);
    }

    @Test
    void theDefaultDataSourceIsThePostgresqlOne() throws SQLException {
        try (Connection connection = defaultDataSource.getConnection()) {
            assertEquals("PostgreSQL", connection.getMetaData().getDatabaseProductName());
        }
    }
}

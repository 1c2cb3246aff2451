package dev.eventstore.cdi.xa;

import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.agroal.narayana.NarayanaTransactionIntegration;
import org.postgresql.xa.PGXADataSource;

import java.sql.SQLException;

/**
 * The event store's datasource as an application server makes it for {@code <xa-datasource>}: a pool of
 * {@link PGXADataSource} connections whose XA resources are enlisted in the current Narayana transaction, so that
 * PostgreSQL takes part in a two-phase commit with the other resources.
 */
final class XaDataSources {

    private XaDataSources() {
    }

    static AgroalDataSource pool(String jdbcUrl, TestDatabase database, int maxSize) throws SQLException {
        return pool(jdbcUrl, database.user(), database.password(), maxSize);
    }

    static AgroalDataSource pool(String jdbcUrl, String user, String password, int maxSize) throws SQLException {
        // doc: xa-pool begins
        AgroalDataSourceConfigurationSupplier configuration = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .maxSize(maxSize)
                        // The name labels its branches in Narayana's log, as WildFly labels a datasource's.
                        .transactionIntegration(new NarayanaTransactionIntegration(
                                JtaEnvironment.transactionManager(), JtaEnvironment.synchronizationRegistry(),
                                NamedXAResource.DATABASE, false))
                        .connectionFactoryConfiguration(factory -> factory
                                .connectionProviderClass(PGXADataSource.class)
                                .jdbcUrl(jdbcUrl)
                                .principal(new NamePrincipal(user))
                                .credential(new SimplePassword(password))));
        return AgroalDataSource.from(configuration);
        // doc: xa-pool ends
    }

    /** A plain XA datasource of the driver, for the recovery manager, which asks it for in-doubt branches. */
    static PGXADataSource recoveryDataSource(String jdbcUrl, String user, String password) {
        PGXADataSource dataSource = new PGXADataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }
}

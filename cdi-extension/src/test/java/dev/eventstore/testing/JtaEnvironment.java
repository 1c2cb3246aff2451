package dev.eventstore.testing;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.agroal.narayana.NarayanaTransactionIntegration;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * A real JTA environment outside a container: Narayana as transaction manager and an Agroal pool whose connections
 * enlist in the current Narayana transaction, on the test PostgreSQL.
 */
public final class JtaEnvironment {

    static {
        // Keep Narayana's transaction log out of the working directory, unless a JVM started by a crash test was
        // given a log of its own to share with the JVM that recovers it.
        if (System.getProperty("ObjectStoreEnvironmentBean.objectStoreDir") == null) {
            String store = Path.of("target", "narayana-store").toAbsolutePath().toString();
            System.setProperty("ObjectStoreEnvironmentBean.objectStoreDir", store);
            System.setProperty("com.arjuna.ats.arjuna.objectstore.objectStoreDir", store);
        }
        System.setProperty("CoordinatorEnvironmentBean.defaultTimeout", "60");
    }

    private JtaEnvironment() {
    }

    public static TransactionManager transactionManager() {
        return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }

    public static UserTransaction userTransaction() {
        return com.arjuna.ats.jta.UserTransaction.userTransaction();
    }

    public static TransactionSynchronizationRegistry synchronizationRegistry() {
        return new com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple();
    }

    /** A pool of at most {@code maxSize} connections to {@code schema} that enlist in Narayana transactions. */
    public static AgroalDataSource dataSource(TestSchema schema, int maxSize) throws SQLException {
        TestDatabase database = schema.database();
        AgroalDataSourceConfigurationSupplier configuration = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .maxSize(maxSize)
                        .transactionIntegration(new NarayanaTransactionIntegration(transactionManager(),
                                synchronizationRegistry()))
                        .connectionFactoryConfiguration(factory -> factory
                                .jdbcUrl(schema.url())
                                .principal(new NamePrincipal(database.user()))
                                .credential(new SimplePassword(database.password()))));
        return AgroalDataSource.from(configuration);
    }
}

package dev.eventstore.bench;

import dev.eventstore.migration.MigrationGenerator;
import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** What the comparison benchmarks share: their connection pool and store schemas side by side in one database. */
final class BenchDatabase {

    private BenchDatabase() {
    }

    /** A pool of {@code size} connections to the test database, auto-commit off, as an application server's. */
    static AgroalDataSource pool(TestDatabase database, int size) throws SQLException {
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(config -> config.maxSize(size).initialSize(size)
                        .connectionFactoryConfiguration(factory -> factory.jdbcUrl(database.url())
                                .autoCommit(false)
                                .principal(new NamePrincipal(database.user()))
                                .credential(new SimplePassword(database.password())))));
    }

    /** {@code config} with its tables in {@code schema}, after running its schema SQL there. */
    static StoreConfig storeIn(TestSchema schema, StoreConfig config) throws SQLException {
        StoreConfig inSchema = config.withEventsTable(schema.name() + ".events")
                .withHeadsTable(schema.name() + ".aggregate_heads")
                .withCheckpointsTable(schema.name() + ".projection_checkpoints");
        try (Connection connection = schema.connect(); Statement statement = connection.createStatement()) {
            statement.execute(MigrationGenerator.schemaSql(inSchema));
        }
        return inSchema;
    }

    /** The rows of {@code table}, counted in a transaction of its own. */
    static long countRows(AgroalDataSource pool, String table) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             var row = statement.executeQuery("SELECT count(*) FROM " + table)) {
            row.next();
            long rows = row.getLong(1);
            connection.commit();
            return rows;
        }
    }
}

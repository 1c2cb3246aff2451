package dev.eventstore.cdi.internal;

import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.JtaEnvironment;
import dev.eventstore.testing.TestDatabase;
import dev.eventstore.testing.TestSchema;
import io.agroal.api.AgroalDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NotifyModeTest {

    @Test
    void autoSendsInsideTheTransactionExactlyWhenTheServerCannotPrepareTransactions() throws Exception {
        try (TestSchema schema = TestDatabase.get().createSchema(StoreConfig.defaults());
             AgroalDataSource dataSource = JtaEnvironment.dataSource(schema, 1)) {
            long maxPreparedTransactions = schema.queryLong(
                    "SELECT current_setting('max_prepared_transactions')::bigint");

            assertThat(NotifyMode.AUTO.resolve(dataSource)).isEqualTo(maxPreparedTransactions == 0
                    ? NotifyMode.IN_TRANSACTION : NotifyMode.AFTER_COMMIT);
            assertThat(NotifyMode.IN_TRANSACTION.resolve(dataSource)).isEqualTo(NotifyMode.IN_TRANSACTION);
            assertThat(NotifyMode.AFTER_COMMIT.resolve(dataSource)).isEqualTo(NotifyMode.AFTER_COMMIT);
        }
    }
}

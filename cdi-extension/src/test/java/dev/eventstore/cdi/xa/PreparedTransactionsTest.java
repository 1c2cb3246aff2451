package dev.eventstore.cdi.xa;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The XA tests fail, saying how to fix it, on a server that cannot prepare; they never pass without preparing. */
class PreparedTransactionsTest {

    @Test
    void aServerWithoutPreparedTransactionsFailsTheXaTestsWithTheFix() {
        assertThatThrownBy(() -> PreparedTransactions.require(0, "jdbc:postgresql://db:5432/postgres"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("jdbc:postgresql://db:5432/postgres has max_prepared_transactions = 0")
                .hasMessageContaining("ALTER SYSTEM SET max_prepared_transactions = 64")
                .hasMessageContaining(".ci/run");
    }

    @Test
    void aServerThatPreparesPasses() {
        assertThatCode(() -> PreparedTransactions.require(64, "jdbc:postgresql://db:5432/postgres"))
                .doesNotThrowAnyException();
    }
}

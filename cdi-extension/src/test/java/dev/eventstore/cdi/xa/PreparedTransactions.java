package dev.eventstore.cdi.xa;

import dev.eventstore.testing.TestSchema;

import javax.transaction.xa.Xid;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** What PostgreSQL says about two-phase commit: whether it can prepare at all, and what is prepared now. */
final class PreparedTransactions {

    private PreparedTransactions() {
    }

    /**
     * Fails, saying how to fix it, when the server cannot prepare transactions: a two-phase commit test must never
     * pass because nothing was prepared.
     */
    static void require(TestSchema schema) throws SQLException {
        require(schema.queryLong("SELECT current_setting('max_prepared_transactions')::bigint"),
                schema.database().url());
    }

    static void require(long maxPreparedTransactions, String url) {
        if (maxPreparedTransactions == 0) {
            throw new AssertionError("PostgreSQL at " + url + " has max_prepared_transactions = 0, so it cannot take"
                    + " part in a two-phase (XA) commit and these tests cannot run. Run .ci/run, which turns it on, or"
                    + " run ALTER SYSTEM SET max_prepared_transactions = 64 as a superuser and restart PostgreSQL (see"
                    + " docs/build-and-test.md).");
        }
    }

    /**
     * The gid PostgreSQL's JDBC driver gives the branches of a global transaction ({@code formatId_gtrid_bqual},
     * both ids in Base64), up to the branch qualifier.
     */
    static String gidPrefix(Xid xid) {
        return gidPrefix(xid.getFormatId(), xid.getGlobalTransactionId());
    }

    static String gidPrefix(int formatId, byte[] globalTransactionId) {
        return formatId + "_" + Base64.getEncoder().encodeToString(globalTransactionId) + "_";
    }

    /** The prepared transactions of the server whose gid starts with {@code gidPrefix}. */
    static List<String> gids(TestSchema schema, String gidPrefix) throws SQLException {
        try (Connection connection = schema.connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT gid FROM pg_prepared_xacts WHERE starts_with(gid, ?) ORDER BY gid")) {
            query.setString(1, gidPrefix);
            List<String> gids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    gids.add(rows.getString(1));
                }
            }
            return gids;
        }
    }
}

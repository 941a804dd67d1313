package io.passerelle.broker;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.passerelle.connector.Loa;
import io.passerelle.retention.ExpiredRows;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Login transactions in the database, so that the callback may reach any node. {@link #consume} is
 * the one-time-use guarantee: one conditional UPDATE, so two callbacks racing with the same state
 * cannot both win.
 */
public final class LoginTransactionStore {

    private final JdbcClient jdbc;
    private final Clock clock;

    public LoginTransactionStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void save(LoginTransaction tx) {
        jdbc.sql("""
                INSERT INTO login_transaction (state, connector_id, client_id, nonce, code_verifier, required_loa,
                    resume_url, ui_locale, browser_binding, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(tx.state(), tx.connectorId(), tx.clientId(), tx.nonce(), tx.codeVerifier(),
                        tx.requiredLoa().configName(), tx.resumeUrl(), tx.uiLocale(), tx.browserBinding(),
                        Timestamp.from(tx.createdAt()), Timestamp.from(tx.expiresAt()))
                .update();
    }

    /** The transaction, if it exists, is unexpired and was not used before; it cannot be used again. */
    public Optional<LoginTransaction> consume(String state) {
        Timestamp now = Timestamp.from(clock.instant());
        int claimed = jdbc.sql("UPDATE login_transaction SET consumed_at = ? "
                        + "WHERE state = ? AND consumed_at IS NULL AND expires_at > ?")
                .params(now, state, now).update();
        if (claimed != 1) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT * FROM login_transaction WHERE state = ?").param(state)
                .query((rs, row) -> new LoginTransaction(rs.getString("state"), rs.getString("connector_id"),
                        rs.getString("client_id"), rs.getString("nonce"), rs.getString("code_verifier"),
                        Loa.fromName(rs.getString("required_loa")), rs.getString("resume_url"),
                        rs.getString("ui_locale"), rs.getString("browser_binding"),
                        rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant()))
                .optional();
    }

    /** For the metrics: {in flight (unused, unexpired), stored (every row the purge has not deleted yet)}. */
    public long[] counts() {
        Timestamp now = Timestamp.from(clock.instant());
        long inFlight = jdbc.sql("SELECT COUNT(*) FROM login_transaction WHERE consumed_at IS NULL AND expires_at > ?")
                .param(now).query(Long.class).single();
        long stored = jdbc.sql("SELECT COUNT(*) FROM login_transaction").query(Long.class).single();
        return new long[] {inFlight, stored};
    }

    /**
     * Used records go a minute after their use ({@link #consume} reads the row back right after claiming
     * it; a replay then finds no row, refused alike); unused ones once expired. Records are evidence for
     * nothing afterwards: the audit trail keeps what happened.
     */
    public static List<ExpiredRows> expiredRows() {
        return List.of(
                ExpiredRows.olderThan("login_transaction.used", "login_transaction", List.of("state"),
                        "consumed_at < ?", Duration.ofMinutes(1)),
                ExpiredRows.olderThan("login_transaction.expired", "login_transaction", List.of("state"),
                        "expires_at < ?", Duration.ZERO));
    }
}

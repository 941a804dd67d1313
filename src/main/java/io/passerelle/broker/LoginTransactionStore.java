package io.passerelle.broker;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

import io.passerelle.connector.Loa;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

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

    /** Transactions are evidence for nothing once expired: keep the table small. */
    @Scheduled(fixedDelayString = "PT5M")
    public void purgeExpired() {
        jdbc.sql("DELETE FROM login_transaction WHERE expires_at < ?")
                .param(Timestamp.from(clock.instant().minusSeconds(3600))).update();
    }
}

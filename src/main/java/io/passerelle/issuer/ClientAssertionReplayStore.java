package io.passerelle.issuer;

import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.sql.Timestamp;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import io.passerelle.retention.ExpiredRows;

/**
 * Remembers the {@code jti} of every client assertion until it expires, in the database so that a
 * cluster of nodes refuses a replay seen by any of them (RFC 7523 3, item 7; OIDC Core 9: "the JWT
 * MUST NOT be used more than once").
 */
public final class ClientAssertionReplayStore {

    /**
     * How long a jti is kept past its assertion's expiry: longer than any clock skew the assertion's
     * validators allow (Spring Security's timestamp validator accepts 60 s), so an assertion still accepted
     * just after its {@code exp} finds its jti and is refused as a replay.
     */
    static final Duration KEPT_AFTER_EXPIRY = Duration.ofMinutes(5);

    private final JdbcClient jdbc;

    public ClientAssertionReplayStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the jti; false when it was already used by this client (the insert is the check, atomically). */
    public boolean firstUse(String clientId, String jti, Instant expiresAt) {
        try {
            jdbc.sql("INSERT INTO client_assertion_jti (client_id, jti, expires_at) VALUES (?, ?, ?)")
                    .params(clientId, jti, Timestamp.from(expiresAt))
                    .update();
            return true;
        } catch (DuplicateKeyException replay) {
            return false;
        }
    }

    /** Entries past {@link #KEPT_AFTER_EXPIRY} can go: their assertions are refused on {@code exp} alone. */
    public static ExpiredRows expiredRows() {
        return ExpiredRows.olderThan("client_assertion_jti", "client_assertion_jti", List.of("client_id", "jti"),
                "expires_at < ?", KEPT_AFTER_EXPIRY);
    }
}

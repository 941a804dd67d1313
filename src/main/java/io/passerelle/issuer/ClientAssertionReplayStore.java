package io.passerelle.issuer;

import java.time.Clock;
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

    private final JdbcClient jdbc;
    private final Clock clock;

    public ClientAssertionReplayStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
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

    /** Expired entries can go: an expired assertion is refused on its {@code exp} alone. */
    public static ExpiredRows expiredRows() {
        return ExpiredRows.olderThan("client_assertion_jti", "client_assertion_jti", List.of("client_id", "jti"),
                "expires_at < ?", Duration.ZERO);
    }
}

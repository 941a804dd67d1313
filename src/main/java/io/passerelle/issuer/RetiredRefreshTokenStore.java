package io.passerelle.issuer;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import io.passerelle.retention.ExpiredRows;

/**
 * Refresh tokens that rotation has replaced, by SHA-256 only (a database reader learns no usable
 * token), with the authorization they belonged to. Shared by every node through the database.
 */
public final class RetiredRefreshTokenStore {

    private final JdbcClient jdbc;
    private final Clock clock;

    public RetiredRefreshTokenStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** False when the token was already retired (the primary key is the check, atomically). */
    public boolean retire(String token, String authorizationId, Instant expiresAt) {
        try {
            jdbc.sql("INSERT INTO retired_refresh_token (token_hash, authorization_id, expires_at) VALUES (?, ?, ?)")
                    .params(hash(token), authorizationId, Timestamp.from(expiresAt))
                    .update();
            return true;
        } catch (DuplicateKeyException alreadyRetired) {
            return false;
        }
    }

    /**
     * Holds the authorization's row until the current transaction ends, so that one refresh of it runs at
     * a time on every node (H2 and PostgreSQL both lock the row for {@code FOR UPDATE}).
     */
    public void lockAuthorization(String authorizationId) {
        jdbc.sql("SELECT id FROM oauth2_authorization WHERE id = ? FOR UPDATE").param(authorizationId)
                .query(String.class).optional();
    }

    /** The authorization a retired token belonged to, if the token was retired and is not yet expired. */
    public Optional<String> authorizationOf(String token) {
        return jdbc.sql("SELECT authorization_id FROM retired_refresh_token WHERE token_hash = ? AND expires_at >= ?")
                .params(hash(token), Timestamp.from(clock.instant()))
                .query(String.class)
                .optional();
    }

    /** A retired token past its own expiry would be refused anyway; no need to remember it. */
    public static ExpiredRows expiredRows() {
        return ExpiredRows.olderThan("retired_refresh_token", "retired_refresh_token", List.of("token_hash"),
                "expires_at < ?", Duration.ZERO);
    }

    static String hash(String token) {
        return TokenDigest.sha256Hex(token);
    }
}

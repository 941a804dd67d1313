package io.passerelle.issuer;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.passerelle.retention.ExpiredRows;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationToken;

/**
 * Wraps the server's authorization-code grant so that a code is redeemed once even when two token
 * requests carry it at the same moment (RFC 6749 4.1.2: "MUST NOT be used more than once"). The
 * server reads the authorization, issues tokens and then writes it back: two concurrent requests
 * would both pass the read. Here the first inserts the code's hash (the insert is the lock, on every
 * node); a concurrent one is refused with {@code invalid_grant}. A request that fails (a wrong PKCE
 * verifier, say) releases the code for its owner; a replay after a successful redemption goes to the
 * server, which refuses it and revokes the tokens the code gave (4.1.2).
 */
public final class OneTimeCodeRedemption implements AuthenticationProvider {

    private static final OAuth2TokenType CODE = new OAuth2TokenType("code");

    private final AuthenticationProvider delegate;
    private final Redemptions redemptions;
    private final OAuth2AuthorizationService authorizations;

    public OneTimeCodeRedemption(AuthenticationProvider delegate, Redemptions redemptions,
                                 OAuth2AuthorizationService authorizations) {
        this.delegate = delegate;
        this.redemptions = redemptions;
        this.authorizations = authorizations;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String code = ((OAuth2AuthorizationCodeAuthenticationToken) authentication).getCode();
        String hash = TokenDigest.sha256Hex(code);
        if (!redemptions.claim(hash)) {
            JdbcAuthorizationStore.forgetFoundByCode(); // what the other request did to it: read it again
            OAuth2Authorization authorization = authorizations.findByToken(code, CODE);
            OAuth2Authorization.Token<OAuth2AuthorizationCode> issued =
                    authorization == null ? null : authorization.getToken(OAuth2AuthorizationCode.class);
            if (issued != null && issued.isInvalidated()) {
                return delegate.authenticate(authentication); // a replay: refused, and its tokens revoked
            }
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                    "the authorization code is being redeemed by another request", null));
        }
        try {
            return delegate.authenticate(authentication);
        } catch (RuntimeException failed) { // an AuthenticationException too
            redemptions.release(hash);
            throw failed;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2AuthorizationCodeAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** The {@code authorization_code_redemption} table (Flyway V7), shared by every node. */
    public static final class Redemptions {

        /** Longer than any code lives (minutes), so a concurrent request always finds the row. */
        private static final Duration KEPT = Duration.ofHours(1);

        private final JdbcClient jdbc;
        private final Clock clock;

        public Redemptions(JdbcClient jdbc, Clock clock) {
            this.jdbc = jdbc;
            this.clock = clock;
        }

        /** True for the first request with this code; the insert is the check, atomically. */
        boolean claim(String codeHash) {
            try {
                jdbc.sql("INSERT INTO authorization_code_redemption (code_hash, expires_at) VALUES (?, ?)")
                        .params(codeHash, Timestamp.from(clock.instant().plus(KEPT))).update();
                return true;
            } catch (DuplicateKeyException taken) {
                return false;
            }
        }

        void release(String codeHash) {
            jdbc.sql("DELETE FROM authorization_code_redemption WHERE code_hash = ?").param(codeHash).update();
        }

        /** Expired rows can go: their codes are long dead. */
        public static ExpiredRows expiredRows() {
            return ExpiredRows.olderThan("authorization_code_redemption", "authorization_code_redemption",
                    List.of("code_hash"), "expires_at < ?", Duration.ZERO);
        }
    }
}

package io.passerelle.issuer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Refresh-token rotation with reuse detection (OAuth 2.0 Security BCP, RFC 9700 4.14.2): every
 * refresh returns a new refresh token; the one just used is remembered (as a SHA-256 only). If a
 * remembered token is presented again, either the portal or an attacker holds a copy, and there is no
 * telling which: the whole authorization is revoked, so the access and refresh tokens of both die.
 *
 * <p>Requests carrying the same refresh token at the same moment are serialised on the authorization's
 * row ({@code SELECT ... FOR UPDATE}, on every node through the database): the server's provider reads,
 * rotates and writes back the authorization, so two concurrent requests would both pass the read and
 * then collide on the retired token (a 500 before). The first one rotates and commits; the others then
 * find the token rotated, get {@code invalid_grant} (RFC 6749 5.2) and, as for any reuse, revoke the
 * grant, after the winner's commit so that its write cannot bring the revoked authorization back.
 */
public final class RefreshTokenReuseDetection implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(RefreshTokenReuseDetection.class);

    private final AuthenticationProvider delegate;
    private final OAuth2AuthorizationService authorizations;
    private final RetiredRefreshTokenStore retired;
    private final TransactionOperations transactions;
    private final AuditLog audit;
    private final Clock clock;

    public RefreshTokenReuseDetection(AuthenticationProvider delegate, OAuth2AuthorizationService authorizations,
                                      RetiredRefreshTokenStore retired, TransactionOperations transactions,
                                      AuditLog audit, Clock clock) {
        this.delegate = delegate;
        this.authorizations = authorizations;
        this.retired = retired;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        var grant = (OAuth2RefreshTokenAuthenticationToken) authentication;
        String presented = grant.getRefreshToken();
        OAuth2Authorization before = authorizations.findByToken(presented, OAuth2TokenType.REFRESH_TOKEN);
        Outcome outcome = before == null ? attempt(authentication) : transactions.execute(status -> {
            retired.lockAuthorization(before.getId());
            Outcome locked = attempt(authentication);
            if (locked.result() != null && !retired.retire(presented, before.getId(), expiry(before))) {
                // Only if a request bypassed the lock: never give a second set of tokens for one refresh token.
                status.setRollbackOnly();
                return new Outcome(null, new OAuth2AuthenticationException(new OAuth2Error(
                        OAuth2ErrorCodes.INVALID_GRANT, "the refresh token was already used", null)));
            }
            return locked;
        });
        if (outcome.failure() != null) {
            // Outside the transaction: the revocation must not be undone with the failed attempt.
            if (OAuth2ErrorCodes.INVALID_GRANT.equals(outcome.failure().getError().getErrorCode())) {
                revokeIfRetired(presented);
            }
            throw outcome.failure();
        }
        return outcome.result();
    }

    private Outcome attempt(Authentication authentication) {
        try {
            return new Outcome(delegate.authenticate(authentication), null);
        } catch (OAuth2AuthenticationException e) {
            return new Outcome(null, e);
        }
    }

    private Instant expiry(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
        return refresh != null && refresh.getToken().getExpiresAt() != null
                ? refresh.getToken().getExpiresAt() : clock.instant().plus(Duration.ofDays(1));
    }

    private void revokeIfRetired(String token) {
        retired.authorizationOf(token)
                .map(authorizations::findById)
                .ifPresent(authorization -> {
                    log.warn("rotated refresh token reused: revoking authorization {} of client {}",
                            authorization.getId(), authorization.getRegisteredClientId());
                    authorizations.remove(authorization);
                    audit.record(AuditEvent.of(AuditType.GRANT_REVOKED).actor("system")
                            .client(authorization.getRegisteredClientId())
                            .reason("refresh token reused (RFC 9700 4.14.2): the whole grant is revoked")
                            .detail("authorization", authorization.getId()));
                });
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2RefreshTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private record Outcome(Authentication result, OAuth2AuthenticationException failure) {
    }
}

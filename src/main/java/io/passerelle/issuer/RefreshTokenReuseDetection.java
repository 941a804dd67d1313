package io.passerelle.issuer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;

/**
 * Refresh-token rotation with reuse detection (OAuth 2.0 Security BCP, RFC 9700 4.14.2): every
 * refresh returns a new refresh token; the one just used is remembered (as a SHA-256 only). If a
 * remembered token is presented again, either the portal or an attacker holds a copy, and there is no
 * telling which: the whole authorization is revoked, so the access and refresh tokens of both die.
 *
 * <p>Wraps the server's refresh-token provider on the token endpoint; it adds no state of its own to
 * the grant itself.
 */
public final class RefreshTokenReuseDetection implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(RefreshTokenReuseDetection.class);

    private final AuthenticationProvider delegate;
    private final OAuth2AuthorizationService authorizations;
    private final RetiredRefreshTokenStore retired;
    private final Clock clock;

    public RefreshTokenReuseDetection(AuthenticationProvider delegate, OAuth2AuthorizationService authorizations,
                                      RetiredRefreshTokenStore retired, Clock clock) {
        this.delegate = delegate;
        this.authorizations = authorizations;
        this.retired = retired;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        var grant = (OAuth2RefreshTokenAuthenticationToken) authentication;
        String presented = grant.getRefreshToken();
        OAuth2Authorization before = authorizations.findByToken(presented, OAuth2TokenType.REFRESH_TOKEN);
        Authentication result;
        try {
            result = delegate.authenticate(authentication);
        } catch (OAuth2AuthenticationException e) {
            if (before == null && OAuth2ErrorCodes.INVALID_GRANT.equals(e.getError().getErrorCode())) {
                revokeIfRetired(presented);
            }
            throw e;
        }
        if (before != null) {
            retire(presented, before);
        }
        return result;
    }

    private void retire(String token, OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
        Instant expiresAt = refresh != null && refresh.getToken().getExpiresAt() != null
                ? refresh.getToken().getExpiresAt() : clock.instant().plus(Duration.ofDays(1));
        retired.retire(token, authorization.getId(), expiresAt);
    }

    private void revokeIfRetired(String token) {
        retired.authorizationOf(token)
                .map(authorizations::findById)
                .ifPresent(authorization -> {
                    log.warn("rotated refresh token reused: revoking authorization {} of client {}",
                            authorization.getId(), authorization.getRegisteredClientId());
                    authorizations.remove(authorization);
                });
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2RefreshTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }
}

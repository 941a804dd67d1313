package io.passerelle.issuer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.consent.ClaimRelease;
import io.passerelle.consent.ClaimsRequest;
import io.passerelle.consent.ConsentDecisions;
import io.passerelle.identity.PairwiseSubjects;
import io.passerelle.portal.PortalConfig;
import io.passerelle.portal.RegisteredClientFactory;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import io.passerelle.portal.PortalRegistry;

/**
 * Adds what the citizen's sign-in achieved to the ID token: {@code acr} (eIDAS LoA URI), {@code amr}
 * (RFC 8176), {@code auth_time} (the upstream sign-in, not the session's last request) and
 * {@code at_hash} (OIDC Core 3.3.2.11: left half of SHA-256 of the access token, for every alg we
 * sign with: RS256, PS256 and ES256 all use SHA-256).
 *
 * <p>{@code sub} is the portal's pairwise (per sector) or public subject ({@link PairwiseSubjects});
 * verified attributes leave through the scope allowlist and the citizen's consent
 * ({@link ConsentDecisions#releasable}), with the claims the request's {@code claims} asked for the ID
 * token, under the portal's claim-name aliases. Each ID token of an
 * authorization-code grant leaves a receipt for the citizen's account page.
 */
public final class IssuerClaimsCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final PortalRegistry portals;
    private final PairwiseSubjects subjects;
    private final ConsentDecisions consent;
    private final SessionPortals sessions;

    public IssuerClaimsCustomizer(PortalRegistry portals, PairwiseSubjects subjects, ConsentDecisions consent,
                                  SessionPortals sessions) {
        this.portals = portals;
        this.subjects = subjects;
        this.consent = consent;
        this.sessions = sessions;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        // The same subject in ID tokens, access tokens (so introspection) and userinfo (copied from the ID token).
        portals.portal(context.getRegisteredClient().getClientId()).ifPresent(portal -> context.getClaims().subject(
                subjects.subjectFor(portal.sector(), context.getPrincipal().getName(),
                        portal.subjectType() == PortalConfig.SubjectType.PAIRWISE)));
        if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            // Access tokens are only ever verified by Passerelle itself (userinfo, introspection): ES256
            // signs about ten times faster than RSA-2048, and signing is the largest cost of a login.
            context.getJwsHeader().algorithm(SignatureAlgorithm.ES256);
            return;
        }
        if (!OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
            return;
        }
        // The server fixes ID token lifetime at 30 minutes; the configured lifetime applies instead.
        Duration lifetime = context.getRegisteredClient().getTokenSettings()
                .getSetting(RegisteredClientFactory.SETTING_ID_TOKEN_TIME_TO_LIVE);
        Instant issuedAt = context.getClaims().build().getIssuedAt();
        if (lifetime != null && issuedAt != null) {
            context.getClaims().expiresAt(issuedAt.plus(lifetime));
        }
        Authentication principal = context.getPrincipal();
        if (principal instanceof CitizenAuthentication citizen) {
            context.getClaims().claim("acr", citizen.acr());
            if (!citizen.amr().isEmpty()) {
                context.getClaims().claim("amr", citizen.amr());
            }
            context.getClaims().claim(IdTokenClaimNames.AUTH_TIME, Date.from(citizen.authTime()));
            if (citizen.sid() != null) {
                // The session of the browser that was asked. The server's own sid is the principal's most
                // recently used session, which is another browser's when the citizen uses two.
                context.getClaims().claim("sid", citizen.sid());
                // Only a portal with a back-channel endpoint needs to be told when the session ends: the
                // others cost no row (one statement less per login).
                String clientId = context.getRegisteredClient().getClientId();
                if (portals.portal(clientId).map(portal -> portal.backchannelLogoutUri() != null).orElse(false)) {
                    String subject = context.getClaims().build().getSubject();
                    if (AuthorizationGrantType.AUTHORIZATION_CODE.equals(context.getAuthorizationGrantType())) {
                        sessions.joined(citizen.sid(), clientId, subject, citizen.getName());
                    } else {
                        sessions.seen(citizen.sid(), clientId, subject);
                    }
                }
            }
            portals.portal(context.getRegisteredClient().getClientId()).ifPresent(portal -> {
                Map<String, Object> released = consent.releasable(portal, citizen, context.getAuthorizedScopes(),
                        ClaimsRequest.of(context.getAuthorization()), ClaimsRequest.Destination.ID_TOKEN);
                ClaimRelease.named(portal, released).forEach((name, value) -> context.getClaims().claim(name, value));
                if (AuthorizationGrantType.AUTHORIZATION_CODE.equals(context.getAuthorizationGrantType())) {
                    consent.received(portal, citizen, released.keySet());
                }
            });
        }
        OAuth2Authorization authorization = context.getAuthorization();
        if (authorization != null && authorization.getAccessToken() != null) {
            context.getClaims().claim("at_hash", atHash(authorization.getAccessToken().getToken()));
        }
    }

    static String atHash(OAuth2AccessToken accessToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(accessToken.getTokenValue().getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}

package io.passerelle.issuer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.portal.PortalConfig;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import io.passerelle.portal.PortalRegistry;

/**
 * OpenID Connect Back-Channel Logout 1.0: when a citizen signs out, every portal they are signed in to
 * through that sign-in hears of it, server to server, with a logout token, and the grants that end with
 * the session are revoked (2.7: refresh tokens without {@code offline_access}). Portals are found in
 * the session's list ({@link SessionPortals}), which outlives refreshed and withdrawn grants, and in
 * the stored authorizations, whose ID tokens keep {@code sub} and {@code sid} ({@link MinimisedIdTokens}).
 *
 * <p>Delivery never holds the citizen up: the tokens are posted asynchronously, each with a connect and
 * a response timeout, a portal that is down is tried twice more, and every outcome is an audit event. The logout token (2.4) carries iss, aud,
 * iat, exp, jti, the portal's own {@code sub} (pairwise), {@code sid} and the back-channel logout event,
 * never a nonce, signed with the portal's ID-token algorithm and typed {@code logout+jwt}.
 */
public final class BackChannelLogout {

    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    /** Short, as 2.4 advises: a logout token is for now, not for later replay. */
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(2);
    /** Per portal: a portal that does not answer in time is reported, and nobody waits for it. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Waits before the second and third attempts at a portal that was down or answered 5xx/429. */
    static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(2), Duration.ofSeconds(10));

    private final JdbcClient jdbc;
    private final OAuth2AuthorizationService authorizations;
    private final PortalRegistry portals;
    private final SessionPortals sessions;
    private final JwtEncoder encoder;
    private final AuditLog audit;
    private final Clock clock;
    private final String issuer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public BackChannelLogout(JdbcClient jdbc, OAuth2AuthorizationService authorizations, PortalRegistry portals,
                             SessionPortals sessions, JwtEncoder encoder, AuditLog audit, Clock clock, String issuer) {
        this.jdbc = jdbc;
        this.authorizations = authorizations;
        this.portals = portals;
        this.sessions = sessions;
        this.encoder = encoder;
        this.audit = audit;
        this.clock = clock;
        this.issuer = issuer;
    }

    /** One portal told of one ended session. */
    record Notice(String clientId, URI uri, String algorithm, String subject, String sid) {
    }

    /**
     * The browser session {@code sid} ended (RP-initiated logout): its portals are told, its grants end.
     * A null {@code sid} means every session of the citizen ("sign out everywhere" on the account page).
     */
    public List<CompletableFuture<Integer>> sessionEnded(String citizen, String sid) {
        // One token per (portal, sub, sid), whether the portal still holds a grant or not.
        Map<String, Notice> notices = new LinkedHashMap<>();
        for (SessionPortals.Member member : sessions.of(citizen, sid)) {
            portals.portal(member.clientId()).filter(portal -> portal.backchannelLogoutUri() != null)
                    .ifPresent(portal -> notices.putIfAbsent(member.clientId() + " " + member.subject() + " " + member.sid(),
                            new Notice(portal.clientId(), portal.backchannelLogoutUri(), portal.idTokenSigningAlg(),
                                    member.subject(), member.sid())));
        }
        for (PortalConfig portal : portals.portals()) {
            for (OAuth2Authorization authorization : grants(portal.clientId(), citizen)) {
                OAuth2Authorization.Token<OidcIdToken> idToken = authorization.getToken(OidcIdToken.class);
                String tokenSid = idToken == null ? null : idToken.getToken().getClaimAsString("sid");
                if (idToken == null || sid != null && !sid.equals(tokenSid)) {
                    continue;
                }
                if (!authorization.getAuthorizedScopes().contains("offline_access")) {
                    authorizations.remove(authorization);
                    audit.record(AuditEvent.of(AuditType.GRANT_REVOKED).actor("citizen").client(portal.clientId())
                            .citizen(citizen).reason("signed out"));
                }
                // Grants from before the session list existed: their portals are told all the same.
                if (portal.backchannelLogoutUri() != null) {
                    String subject = idToken.getToken().getSubject();
                    notices.putIfAbsent(portal.clientId() + " " + subject + " " + tokenSid, new Notice(portal.clientId(),
                            portal.backchannelLogoutUri(), portal.idTokenSigningAlg(), subject, tokenSid));
                }
            }
        }
        sessions.forget(citizen, sid);
        audit.record(AuditEvent.of(AuditType.SIGNED_OUT).actor("citizen").citizen(citizen)
                .detail("scope", sid == null ? "everywhere" : "session")
                .detail("portals_notified", String.valueOf(notices.size())));
        return notices.values().stream().map(notice -> send(notice, citizen)).toList();
    }

    private List<OAuth2Authorization> grants(String clientId, String citizen) {
        // The (registered_client_id, principal_name) index of V1 serves this, portal by portal.
        return jdbc.sql("SELECT id FROM oauth2_authorization WHERE registered_client_id = ? AND principal_name = ?")
                .params(clientId, citizen).query(String.class).list().stream()
                .map(authorizations::findById).filter(Objects::nonNull).toList();
    }

    private CompletableFuture<Integer> send(Notice notice, String citizen) {
        String token;
        try {
            token = logoutToken(notice);
        } catch (RuntimeException e) { // no active key for the portal's algorithm, say
            failed(notice, citizen, 0, "logout token not signed: " + e.getMessage());
            return CompletableFuture.completedFuture(-1);
        }
        HttpRequest request = HttpRequest.newBuilder(notice.uri()).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cache-Control", "no-store")
                .POST(HttpRequest.BodyPublishers.ofString("logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build();
        return attempt(request, notice, citizen, 1);
    }

    /**
     * One delivery attempt. A portal that could not be reached, or answered 5xx or 429, gets the same token
     * again after {@link #RETRY_DELAYS} (well within its two minutes); one that answered 400 refused it
     * (2.8) and one that timed out may still be working on it: neither is asked again.
     */
    private CompletableFuture<Integer> attempt(HttpRequest request, Notice notice, String citizen, int attempt) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            int status = response == null ? -1 : response.statusCode();
            boolean again = cause instanceof java.net.ConnectException || status >= 500 || status == 429;
            if (again && attempt <= RETRY_DELAYS.size()) {
                Executor later = CompletableFuture.delayedExecutor(RETRY_DELAYS.get(attempt - 1).toMillis(),
                        TimeUnit.MILLISECONDS);
                return CompletableFuture.supplyAsync(() -> attempt(request, notice, citizen, attempt + 1), later)
                        .thenCompose(next -> next);
            }
            if (cause != null) {
                failed(notice, citizen, attempt, cause.getClass().getSimpleName() + ": " + cause.getMessage());
            } else if (status == 200 || status == 204) { // 2.8: success
                audit.record(AuditEvent.of(AuditType.LOGOUT_NOTIFIED).actor("gateway").client(notice.clientId())
                        .citizen(citizen).detail("status", String.valueOf(status)).detail("attempts", String.valueOf(attempt)));
            } else {
                failed(notice, citizen, attempt, "the portal answered HTTP " + status);
            }
            return CompletableFuture.completedFuture(status);
        }).thenCompose(result -> result);
    }

    private void failed(Notice notice, String citizen, int attempts, String reason) {
        audit.record(AuditEvent.of(AuditType.LOGOUT_NOTIFICATION_FAILED).actor("gateway").client(notice.clientId())
                .citizen(citizen).reason(reason).detail("attempts", String.valueOf(attempts)));
    }

    String logoutToken(Notice notice) {
        Instant now = clock.instant();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder().issuer(issuer).audience(List.of(notice.clientId()))
                .issuedAt(now).expiresAt(now.plus(TOKEN_LIFETIME)).id(UUID.randomUUID().toString())
                .subject(notice.subject()).claim("events", Map.of(EVENT, Map.of()));
        if (notice.sid() != null) {
            claims.claim("sid", notice.sid());
        }
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.from(notice.algorithm())).type("logout+jwt").build();
        return encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
    }
}

package io.passerelle.issuer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.portal.PortalConfig;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;
import io.passerelle.portal.PortalRegistry;

/**
 * Decides what a logout request may do (OIDC RP-Initiated Logout 1.0):
 * <ul>
 *   <li>Which portal asked (2): the audience of a verified {@code id_token_hint}, or {@code client_id};
 *       a hint that does not verify, or a {@code client_id} outside its audience, identifies nobody.</li>
 *   <li>Where to go afterwards (2, 3): the {@code post_logout_redirect_uri} only if it exactly matches one
 *       the identified portal registered, with {@code state}; otherwise Passerelle's own page (an
 *       unverified address is never followed).</li>
 *   <li>Whether to ask (2, 3): sign out at once only when a verified hint names this browser's session
 *       ({@code sid}); with no hint, or one of another session or citizen, the citizen is asked first.</li>
 * </ul>
 * Nothing here refuses: every outcome ends with the citizen signed out or asked.
 */
final class LogoutDecider implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(LogoutDecider.class);

    private final IdTokenHint hints;
    private final PortalRegistry portals;

    LogoutDecider(IdTokenHint hints, PortalRegistry portals) {
        this.hints = hints;
        this.portals = portals;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        LogoutRequest request = (LogoutRequest) authentication;
        Optional<IdTokenHint.Verified> hint = hints.verify(request.idTokenHint);
        boolean hintUnusable = request.idTokenHint != null && (hint.isEmpty()
                || request.clientId != null && !hint.get().audience().contains(request.clientId));
        String clientId = hintUnusable ? null : hint.map(verified -> request.clientId != null ? request.clientId
                        : verified.audience().size() == 1 ? verified.audience().getFirst() : null)
                .orElse(request.clientId);
        Optional<PortalConfig> portal = clientId == null ? Optional.empty() : portals.portal(clientId);
        String redirect = portal.flatMap(p -> registered(p, request.postLogoutRedirectUri))
                .map(uri -> withState(uri, request.state)).orElse(null);
        if (request.postLogoutRedirectUri != null && redirect == null) {
            log.info("post_logout_redirect_uri not followed: {} (portal {})", request.postLogoutRedirectUri,
                    portal.map(PortalConfig::clientId).orElse("not identified"));
        }
        CitizenAuthentication citizen = request.citizen;
        boolean thisSession = citizen != null && citizen.sid() != null && !hintUnusable
                && hint.map(verified -> citizen.sid().equals(verified.sid())).orElse(false);
        return new LogoutDecision(citizen, thisSession, portal.map(PortalConfig::clientId).orElse(null), redirect,
                request.uiLocales);
    }

    private static Optional<String> registered(PortalConfig portal, String uri) {
        return uri == null ? Optional.empty()
                : portal.postLogoutRedirectUris().stream().map(URI::toString).filter(uri::equals).findFirst();
    }

    private static String withState(String uri, String state) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromUriString(uri);
        if (state != null) {
            builder.queryParam("state", UriUtils.encode(state, StandardCharsets.UTF_8));
        }
        return builder.build(true).toUriString();
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return LogoutRequest.class.isAssignableFrom(authentication);
    }
}

package io.passerelle.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.connector.Loa;
import io.passerelle.consent.ClaimsRequest;
import io.passerelle.portal.RegisteredClientFactory;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.util.StringUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import io.passerelle.identity.CitizenAuthentication;

/**
 * Decides, for a validated authorization request (PAR resolved), whether the browser's sign-in is
 * good enough, and records the request's demand for the key chooser. Plugs into the server's request
 * validation, after redirect URI and scope checks, so every error below can go back to the portal.
 *
 * <ul>
 *   <li>Required LoA = the portal's {@code minimum_loa} or the lowest eIDAS level in {@code acr_values}
 *       (OIDC Core 3.1.2.1: any listed value is acceptable), whichever is higher. No connector can
 *       reach it: {@code unmet_authentication_requirements} (OpenID Connect Unmet Authentication
 *       Requirements 1.0).</li>
 *   <li>No sign-in, or a sign-in below the required LoA, older than {@code max_age} (Core 3.1.2.1), or
 *       {@code prompt=login} that this very request has not yet been through: a new sign-in
 *       ({@link #SIGN_IN_REQUIRED}); with {@code prompt=none}, {@code login_required} instead (Core 3.1.2.6).</li>
 * </ul>
 */
public final class LoginPolicyValidator implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    /** Not an OAuth error: the authorization endpoint's error handler sends the browser to sign in. */
    public static final String SIGN_IN_REQUIRED = "passerelle_sign_in_required";
    /** Session attribute: when the broker started the sign-in that the current request waits for. */
    public static final String LOGIN_STARTED_AT = "passerelle.login-started-at";

    private final ConnectorRegistry connectors;
    private final io.passerelle.portal.PortalRegistry portals;
    private final Clock clock;

    /** Without portal settings: every portal accepts every key (tests of the level rules). */
    public LoginPolicyValidator(ConnectorRegistry connectors, Clock clock) {
        this(connectors, null, clock);
    }

    public LoginPolicyValidator(ConnectorRegistry connectors, io.passerelle.portal.PortalRegistry portals, Clock clock) {
        this.connectors = connectors;
        this.portals = portals;
        this.clock = clock;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        RegisteredClient client = context.getRegisteredClient();
        Map<String, Object> parameters = request.getAdditionalParameters();
        Set<String> prompt = words(parameters.get("prompt"));
        Long maxAge = maxAge(parameters.get("max_age"), request, client);
        Loa required = requiredLoa(client, parameters.get("acr_values"));
        Optional<Loa> essential = essentialAcr(parameters.get(ClaimsRequest.PARAMETER), request, client);
        if (essential.isPresent() && !essential.get().satisfies(required)) {
            // An essential acr (Core 5.5.1.1) below the portal's minimum cannot lower it.
            essential = Optional.of(required);
        }
        required = essential.orElse(required);
        String clientId = client.getClientId();
        if (connectors.meeting(required).stream().noneMatch(c -> KeyChoice.accepts(portals, clientId, c.id()))) {
            throw error("unmet_authentication_requirements",
                    "no key this portal accepts reaches level " + required.configName(), request, client);
        }
        String hint = text(parameters.get("idp_hint"));
        if (hint != null && connectors.find(hint).isPresent() && !KeyChoice.accepts(portals, clientId, hint)) {
            // The portal asks for a key its own settings refuse (allowed_keys): its request is at fault.
            throw error("invalid_request", "idp_hint names a key this portal does not accept (allowed_keys)",
                    request, client);
        }
        HttpServletRequest http = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
        HttpSession session = http.getSession(true);
        session.setAttribute(LoginDemand.SESSION_ATTRIBUTE, new LoginDemand(client.getClientId(),
                redirectUri(request, client), request.getState(), required, text(parameters.get("idp_hint")), maxAge,
                prompt, text(parameters.get("ui_locales")), text(parameters.get("login_hint")), clock.instant(),
                LoginDemand.resumeUrlOf(http)));

        Authentication principal = (Authentication) request.getPrincipal();
        Optional<String> why = principal instanceof io.passerelle.identity.CitizenAuthentication citizen
                ? reasonForNewSignIn(citizen, required, prompt, maxAge, (Instant) session.getAttribute(LOGIN_STARTED_AT))
                : Optional.of("no sign-in");
        if (why.isEmpty() && principal instanceof io.passerelle.identity.CitizenAuthentication citizen
                && !KeyChoice.accepts(portals, clientId, citizen.connectorId())) {
            why = Optional.of("signed in with a key this portal does not accept (allowed_keys)");
        }
        if (why.isEmpty()) {
            session.removeAttribute(LOGIN_STARTED_AT);
            return;
        }
        if (prompt.contains("none")) {
            throw error("login_required", why.get(), request, client);
        }
        throw error(SIGN_IN_REQUIRED, why.get(), request, client);
    }

    Optional<String> reasonForNewSignIn(CitizenAuthentication citizen, Loa required, Set<String> prompt, Long maxAge,
                                        Instant loginStartedAt) {
        Loa achieved = Loa.fromUri(citizen.acr());
        if (!achieved.satisfies(required)) {
            return Optional.of("step-up from " + achieved.configName() + " to " + required.configName());
        }
        // A sign-in that began after this request sent the citizen to sign in satisfies prompt and max_age.
        boolean fresh = loginStartedAt != null && !citizen.authTime().isBefore(loginStartedAt.minusSeconds(1));
        if (fresh) {
            return Optional.empty();
        }
        if (prompt.contains("login")) {
            return Optional.of("prompt=login");
        }
        if (maxAge != null && Duration.between(citizen.authTime(), clock.instant()).getSeconds() > maxAge) {
            return Optional.of("sign-in older than max_age");
        }
        return Optional.empty();
    }

    static Loa requiredLoa(RegisteredClient client, Object acrValues) {
        String minimum = client.getClientSettings().getSetting(RegisteredClientFactory.SETTING_MINIMUM_LOA);
        Loa required = minimum == null ? Loa.SUBSTANTIAL : Loa.fromName(minimum);
        Loa lowestAsked = null;
        for (String acr : words(acrValues)) {
            try {
                Loa asked = Loa.fromUri(acr);
                lowestAsked = lowestAsked == null || lowestAsked.satisfies(asked) ? asked : lowestAsked;
            } catch (IllegalArgumentException unknown) {
                // acr_values is a voluntary request (Core 5.5.1.1): values we do not know are ignored.
            }
        }
        return lowestAsked != null && lowestAsked.satisfies(required) ? lowestAsked : required;
    }

    /**
     * OIDC Core 5.5.1.1: {@code claims={"id_token":{"acr":{"essential":true,"values":[...]}}}} makes the
     * listed levels mandatory: the lowest known one is required; none known means none can be met.
     * A malformed {@code claims} ({@link ClaimsRequest}) is {@code invalid_request}, here, before any
     * sign-in, so later steps (consent, tokens) only ever read a valid one.
     */
    static Optional<Loa> essentialAcr(Object claims, OAuth2AuthorizationCodeRequestAuthenticationToken request,
                                      RegisteredClient client) {
        List<String> values;
        try {
            values = ClaimsRequest.parse(claims).essentialAcrValues();
        } catch (IllegalArgumentException e) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "claims is not a valid JSON object", request, client);
        }
        if (values == null) {
            return Optional.empty();
        }
        Loa lowest = null;
        for (String value : values) {
            try {
                Loa loa = Loa.fromUri(value);
                lowest = lowest == null || lowest.satisfies(loa) ? loa : lowest;
            } catch (IllegalArgumentException unknown) {
                // not an eIDAS level: cannot be satisfied by this gateway
            }
        }
        if (lowest == null) {
            throw error("unmet_authentication_requirements", "no essential acr value can be met", request, client);
        }
        return Optional.of(lowest);
    }

    private static Long maxAge(Object value, OAuth2AuthorizationCodeRequestAuthenticationToken request,
                               RegisteredClient client) {
        String text = text(value);
        if (text == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(text);
            if (seconds < 0) {
                throw new NumberFormatException();
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "max_age must be a non-negative integer", request, client);
        }
    }

    /** A space-separated parameter (prompt, acr_values) as a set of words. */
    public static Set<String> words(Object value) {
        String text = text(value);
        return text == null ? Set.of() : new HashSet<>(Arrays.asList(text.trim().split("\\s+")));
    }

    private static String text(Object value) {
        return value instanceof String s && StringUtils.hasText(s) ? s : null;
    }

    public static String redirectUri(OAuth2AuthorizationCodeRequestAuthenticationToken request, RegisteredClient client) {
        // redirect_uri may be omitted when the portal registered exactly one (RFC 6749 3.1.2.3).
        return StringUtils.hasText(request.getRedirectUri()) ? request.getRedirectUri()
                : client.getRedirectUris().iterator().next();
    }

    /** An error for the portal's validated redirect URI (the request's, or the only one registered). */
    public static OAuth2AuthorizationCodeRequestAuthenticationException error(String code, String description,
            OAuth2AuthorizationCodeRequestAuthenticationToken request, RegisteredClient client) {
        OAuth2AuthorizationCodeRequestAuthenticationToken withRedirect = new OAuth2AuthorizationCodeRequestAuthenticationToken(
                request.getAuthorizationUri(), request.getClientId(), (Authentication) request.getPrincipal(),
                redirectUri(request, client), request.getState(), request.getScopes(), request.getAdditionalParameters());
        return new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(code, description, null),
                withRedirect);
    }
}

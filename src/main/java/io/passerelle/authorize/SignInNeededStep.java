package io.passerelle.authorize;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpServletRequest;

import io.passerelle.broker.BrowserCookie;
import io.passerelle.broker.KeyChoice;
import io.passerelle.broker.LoginDemand;
import io.passerelle.broker.LoginTransaction;
import io.passerelle.broker.LoginTransactionStore;
import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.connector.Loa;
import io.passerelle.consent.ClaimsRequest;
import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.portal.PortalRegistry;
import io.passerelle.portal.RegisteredClientFactory;

import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.util.StringUtils;

/**
 * Sign-in needed? (OIDC Core 3.1.2.1, 3.1.2.6, 5.5.1.1). Decides, for a validated authorization
 * request (PAR resolved), whether the browser's sign-in is good enough, and what the request demands
 * of a new one ({@link LoginDemand}, kept for the consent step and the login's record).
 *
 * <ul>
 *   <li>Required LoA = the portal's {@code minimum_loa} or the lowest eIDAS level in {@code acr_values}
 *       (any listed value is acceptable), whichever is higher; an essential {@code acr} in {@code claims}
 *       makes its levels mandatory. No connector can reach it: {@code unmet_authentication_requirements}
 *       (OpenID Connect Unmet Authentication Requirements 1.0).</li>
 *   <li>No sign-in, or a sign-in below the required LoA, older than {@code max_age}, or {@code prompt=login}
 *       that this very request has not yet been through: {@link InteractionRequired} (sign in); with
 *       {@code prompt=none}, {@code login_required} instead.</li>
 * </ul>
 */
public final class SignInNeededStep implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    /** Request attribute: the demand this request makes, for the consent step after this one. */
    static final String DEMAND = LoginDemand.class.getName();

    private final ConnectorRegistry connectors;
    private final PortalRegistry portals;
    private final LoginTransactionStore logins;
    private final Clock clock;

    /** {@code portals} null: every portal accepts every key (tests of the level rules). */
    public SignInNeededStep(ConnectorRegistry connectors, PortalRegistry portals, LoginTransactionStore logins,
                            Clock clock) {
        this.connectors = connectors;
        this.portals = portals;
        this.logins = logins;
        this.clock = clock;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        RegisteredClient client = context.getRegisteredClient();
        Map<String, Object> parameters = request.getAdditionalParameters();
        Set<String> prompt = AuthorizeStep.words(parameters.get("prompt"));
        Long maxAge = maxAge(parameters.get("max_age"), context);
        Loa required = requiredLoa(client, parameters.get("acr_values"));
        Optional<Loa> essential = essentialAcr(parameters.get(ClaimsRequest.PARAMETER), context);
        if (essential.isPresent() && !essential.get().satisfies(required)) {
            // An essential acr (Core 5.5.1.1) below the portal's minimum cannot lower it.
            essential = Optional.of(required);
        }
        required = essential.orElse(required);
        String clientId = client.getClientId();
        if (connectors.meeting(required).stream().noneMatch(c -> KeyChoice.accepts(portals, clientId, c.id()))) {
            throw AuthorizeStep.refuse("unmet_authentication_requirements",
                    "no key this portal accepts reaches level " + required.configName(), null, context);
        }
        String hint = text(parameters.get("idp_hint"));
        if (hint != null && connectors.find(hint).isPresent() && !KeyChoice.accepts(portals, clientId, hint)) {
            // The portal asks for a key its own settings refuse (allowed_keys): its request is at fault.
            throw AuthorizeStep.refuse("invalid_request", "idp_hint names a key this portal does not accept (allowed_keys)",
                    null, context);
        }
        HttpServletRequest http = AuthorizeStep.http();
        LoginDemand demand = new LoginDemand(client.getClientId(), AuthorizeStep.redirectUri(context),
                request.getState(), required, text(parameters.get("idp_hint")), maxAge, prompt,
                text(parameters.get("ui_locales")), text(parameters.get("login_hint")), clock.instant(),
                LoginDemand.resumeUrlOf(http));
        http.setAttribute(DEMAND, demand);

        Optional<String> why = request.getPrincipal() instanceof CitizenAuthentication citizen
                ? reasonForNewSignIn(citizen, required, prompt, maxAge, () -> signInStartedFor(http, demand))
                : Optional.of("no sign-in");
        if (why.isEmpty() && request.getPrincipal() instanceof CitizenAuthentication citizen
                && !KeyChoice.accepts(portals, clientId, citizen.connectorId())) {
            why = Optional.of("signed in with a key this portal does not accept (allowed_keys)");
        }
        if (why.isEmpty()) {
            return;
        }
        if (prompt.contains("none")) {
            throw AuthorizeStep.refuse("login_required", why.get(), null, context);
        }
        throw InteractionRequired.signIn(why.get(), demand, AuthorizeStep.withRedirect(context));
    }

    /**
     * When this very request (same browser, same parameters) last sent the citizen upstream, or null:
     * read only for {@code prompt=login} and {@code max_age}, the rules a fresh sign-in must satisfy.
     */
    private Instant signInStartedFor(HttpServletRequest http, LoginDemand demand) {
        return logins.forRequest(BrowserCookie.hashOf(http), LoginTransaction.requestKey(demand.resumeUrl()))
                .map(LoginTransaction::upstream).map(LoginTransaction.Upstream::at).orElse(null);
    }

    Optional<String> reasonForNewSignIn(CitizenAuthentication citizen, Loa required, Set<String> prompt, Long maxAge,
                                        java.util.function.Supplier<Instant> signInStarted) {
        Loa achieved = Loa.fromUri(citizen.acr());
        if (!achieved.satisfies(required)) {
            return Optional.of("step-up from " + achieved.configName() + " to " + required.configName());
        }
        if (!prompt.contains("login") && maxAge == null) {
            return Optional.empty();
        }
        // A sign-in that began after this request sent the citizen to sign in satisfies prompt and max_age.
        Instant started = signInStarted.get();
        if (started != null && !citizen.authTime().isBefore(started.minusSeconds(1))) {
            return Optional.empty();
        }
        if (prompt.contains("login")) {
            return Optional.of("prompt=login");
        }
        if (Duration.between(citizen.authTime(), clock.instant()).getSeconds() > maxAge) {
            return Optional.of("sign-in older than max_age");
        }
        return Optional.empty();
    }

    static Loa requiredLoa(RegisteredClient client, Object acrValues) {
        String minimum = client.getClientSettings().getSetting(RegisteredClientFactory.SETTING_MINIMUM_LOA);
        Loa required = minimum == null ? Loa.SUBSTANTIAL : Loa.fromName(minimum);
        Loa lowestAsked = null;
        for (String acr : AuthorizeStep.words(acrValues)) {
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
    static Optional<Loa> essentialAcr(Object claims, OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        List<String> values;
        try {
            values = ClaimsRequest.parse(claims).essentialAcrValues();
        } catch (IllegalArgumentException e) {
            throw AuthorizeStep.refuse(OAuth2ErrorCodes.INVALID_REQUEST, "claims is not a valid JSON object", null,
                    context);
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
            throw AuthorizeStep.refuse("unmet_authentication_requirements", "no essential acr value can be met", null,
                    context);
        }
        return Optional.of(lowest);
    }

    private static Long maxAge(Object value, OAuth2AuthorizationCodeRequestAuthenticationContext context) {
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
            throw AuthorizeStep.refuse(OAuth2ErrorCodes.INVALID_REQUEST, "max_age must be a non-negative integer", null,
                    context);
        }
    }

    private static String text(Object value) {
        return value instanceof String s && StringUtils.hasText(s) ? s : null;
    }
}

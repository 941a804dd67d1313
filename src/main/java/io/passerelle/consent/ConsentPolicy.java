package io.passerelle.consent;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import io.passerelle.identity.AttributeSeal;
import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.broker.LoginPolicyValidator;
import io.passerelle.portal.PortalConfig;

import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.UriUtils;

/**
 * Step 5 of a login (DESIGN.md): after the sign-in is good enough ({@link LoginPolicyValidator}), has
 * the citizen decided on everything this portal asks for? Plugged into the server's request
 * validation like the login policy, so {@code consent_required} goes back to the portal.
 *
 * <ul>
 *   <li>A consent-exempt portal (its file says the law allows it) and a request for no personal
 *       claim (only {@code sub}, {@code acr}, {@code auth_time}) go on.</li>
 *   <li>A decision that covers every requested claim and has not expired goes on, unless
 *       {@code prompt=consent} (OIDC Core 3.1.2.1) asks again.</li>
 *   <li>Otherwise {@code prompt=none} answers {@code consent_required} (Core 3.1.2.6), and any other
 *       request sends the browser to the consent page ({@link #CONSENT_REQUIRED}).</li>
 * </ul>
 */
public final class ConsentPolicy implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    /** Not an OAuth error: the authorization endpoint's error handler sends the browser to the consent page. */
    public static final String CONSENT_REQUIRED = "passerelle_consent_required";
    /** The consent page. */
    public static final String CONSENT_PAGE = "/consent";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Function<String, Optional<PortalConfig>> portals;
    private final ConsentLedger ledger;
    private final Clock clock;
    private final Duration questionTimeout;
    private final AttributeSeal seal;

    public ConsentPolicy(Function<String, Optional<PortalConfig>> portals, ConsentLedger ledger, Clock clock,
                         Duration questionTimeout, AttributeSeal seal) {
        this.seal = seal;
        this.portals = portals;
        this.ledger = ledger;
        this.clock = clock;
        this.questionTimeout = questionTimeout;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        if (!(request.getPrincipal() instanceof CitizenAuthentication citizen)) {
            return; // the login policy has sent the browser to sign in first
        }
        PortalConfig portal = portals.apply(request.getClientId()).orElse(null);
        // The login policy has already refused a malformed claims parameter with invalid_request.
        Set<String> asked = ClaimsRequest.parse(request.getAdditionalParameters().get(ClaimsRequest.PARAMETER)).names();
        if (portal == null || portal.consentExempt() || !ClaimRelease.releasesAny(portal, request.getScopes(), asked)) {
            return; // exempt by law, or nothing personal asked for (openid alone: sub, acr, auth_time)
        }
        // Claims asked one by one (claims parameter) are asked like those of a scope: same page, same decision.
        List<String> requested = new ArrayList<>(
                ClaimRelease.release(portal, request.getScopes(), asked, citizen.claims(seal)).keySet());
        if (requested.isEmpty()) {
            return;
        }
        Set<String> prompt = LoginPolicyValidator.words(request.getAdditionalParameters().get("prompt"));
        HttpServletRequest http = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
        HttpSession session = http.getSession(true);
        Instant now = clock.instant();
        boolean justAnswered = request.getClientId().equals(session.getAttribute(ConsentRequest.ANSWERED_FOR));
        session.removeAttribute(ConsentRequest.ANSWERED_FOR);
        Optional<Consent> decided = ledger.find(citizen.citizenId(), portal.clientId());
        boolean covered = decided.isPresent() && decided.get().covers(requested, now);
        if (covered && (justAnswered || !prompt.contains("consent"))) {
            return;
        }
        if (prompt.contains("none")) {
            throw LoginPolicyValidator.error("consent_required", "the citizen has not consented to this request",
                    request, context.getRegisteredClient());
        }
        session.setAttribute(ConsentRequest.SESSION_ATTRIBUTE, new ConsentRequest(random(), citizen.citizenId(),
                portal.clientId(), requested, null,
                LoginPolicyValidator.redirectUri(request, context.getRegisteredClient()), request.getState(),
                now.plus(questionTimeout)));
        throw LoginPolicyValidator.error(CONSENT_REQUIRED, "consent needed", request, context.getRegisteredClient());
    }

    /**
     * Completes the waiting question with the request to resume: the authorization request exactly as
     * the endpoint received it (GET or POST, pushed or not), as a GET. Called by the endpoint's error
     * handler, which holds that request; here, during validation, only the container's request is
     * reachable, and in the broker callback's forward it mixes in the callback's parameters.
     */
    public static void resumeWith(HttpServletRequest http) {
        HttpSession session = http.getSession(false);
        ConsentRequest question = session == null ? null
                : (ConsentRequest) session.getAttribute(ConsentRequest.SESSION_ATTRIBUTE);
        if (question != null && question.resumeUrl() == null) {
            session.setAttribute(ConsentRequest.SESSION_ATTRIBUTE, question.resumingAt(io.passerelle.broker.LoginDemand.resumeUrlOf(http)));
        }
    }

    private static String random() {
        byte[] value = new byte[24];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}

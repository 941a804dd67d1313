package io.passerelle.authorize;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;

import io.passerelle.broker.BrowserCookie;
import io.passerelle.broker.LoginDemand;
import io.passerelle.broker.LoginTransaction;
import io.passerelle.broker.LoginTransaction.ConsentQuestion;
import io.passerelle.broker.LoginTransactionStore;
import io.passerelle.consent.ClaimRelease;
import io.passerelle.consent.ClaimsRequest;
import io.passerelle.consent.Consent;
import io.passerelle.consent.ConsentLedger;
import io.passerelle.identity.AttributeSeal;
import io.passerelle.identity.CitizenAuthentication;
import io.passerelle.portal.PortalConfig;

import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * Consent needed? (OIDC Core 3.1.2.4, 3.1.2.6). After the sign-in is good enough
 * ({@link SignInNeededStep}), has the citizen decided on everything this portal asks for?
 *
 * <ul>
 *   <li>A consent-exempt portal (its file says the law allows it) and a request for no personal
 *       claim (only {@code sub}, {@code acr}, {@code auth_time}) go on.</li>
 *   <li>A decision that covers every requested claim and has not expired goes on, unless
 *       {@code prompt=consent} (Core 3.1.2.1) asks again and this very request has not been answered yet.</li>
 *   <li>Otherwise {@code prompt=none} answers {@code consent_required} (Core 3.1.2.6), and any other
 *       request puts the question to the citizen ({@link InteractionRequired}).</li>
 * </ul>
 */
public final class ConsentNeededStep implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private final Function<String, Optional<PortalConfig>> portals;
    private final ConsentLedger ledger;
    private final LoginTransactionStore logins;
    private final Clock clock;
    private final Duration questionTimeout;
    private final AttributeSeal seal;

    public ConsentNeededStep(Function<String, Optional<PortalConfig>> portals, ConsentLedger ledger,
                             LoginTransactionStore logins, Clock clock, Duration questionTimeout, AttributeSeal seal) {
        this.portals = portals;
        this.ledger = ledger;
        this.logins = logins;
        this.clock = clock;
        this.questionTimeout = questionTimeout;
        this.seal = seal;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        if (!(request.getPrincipal() instanceof CitizenAuthentication citizen)) {
            return; // the sign-in step has sent the browser to sign in first
        }
        PortalConfig portal = portals.apply(request.getClientId()).orElse(null);
        // The sign-in step has already refused a malformed claims parameter with invalid_request.
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
        Set<String> prompt = AuthorizeStep.words(request.getAdditionalParameters().get("prompt"));
        Instant now = clock.instant();
        Optional<Consent> decided = ledger.find(citizen.citizenId(), portal.clientId());
        boolean covered = decided.isPresent() && decided.get().covers(requested, now);
        HttpServletRequest http = AuthorizeStep.http();
        LoginDemand demand = (LoginDemand) http.getAttribute(SignInNeededStep.DEMAND);
        if (covered && (!prompt.contains("consent") || answered(http, demand))) {
            return;
        }
        if (prompt.contains("none")) {
            throw AuthorizeStep.refuse("consent_required", "the citizen has not consented to this request", null,
                    context);
        }
        throw InteractionRequired.consent(demand,
                new ConsentQuestion(citizen.citizenId(), requested, now.plus(questionTimeout), null),
                AuthorizeStep.withRedirect(context));
    }

    /** Whether this very request (same browser, same parameters) has had its question answered. */
    private boolean answered(HttpServletRequest http, LoginDemand demand) {
        return logins.forRequest(BrowserCookie.hashOf(http), LoginTransaction.requestKey(demand.resumeUrl()))
                .map(LoginTransaction::consent).map(ConsentQuestion::answeredAt).isPresent();
    }
}

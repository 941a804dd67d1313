package io.passerelle.authorize;

import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.passerelle.audit.AuditLog;

import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;

/**
 * The authorization endpoint's rules, in the order they run: read top to bottom, this is what
 * {@code /oauth2/authorize} checks before a code is issued. A rule is added as one line here and one
 * class beside it, without touching the others.
 *
 * <p>Plugged into Spring Authorization Server as its request validator (after it has found the client
 * and resolved a pushed request). The order matters: everything the request itself can be faulted for
 * is answered before the citizen is sent anywhere (RFC 9700 2.1.1), and only the last two steps may
 * send the browser to sign in or to the consent page (the one "interaction required" outcome, handled
 * by {@link Interactions}).
 */
public final class AuthorizeSteps implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private static final Logger log = LoggerFactory.getLogger(AuthorizeSteps.class);

    private final List<AuthorizeStep> steps;

    public AuthorizeSteps(AuditLog audit, SignInNeededStep signInNeeded, MinorsStep minors,
                          ConsentNeededStep consentNeeded) {
        this.steps = List.of(
                new AuthorizeStep("redirect_uri registered, exact match", "RFC 6749 3.1.2.3; RFC 9700 4.1.3",
                        OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR),
                new AuthorizeStep("scope beyond the portal's file audited", "RFC 6749 3.3",
                        new ScopeOverreachAudit(audit)),
                new AuthorizeStep("scope allowed to the portal", "RFC 6749 3.3",
                        OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_SCOPE_VALIDATOR),
                new AuthorizeStep("no request object", "OIDC Core 6.1, 6.2", new RequestObjectStep()),
                new AuthorizeStep("PKCE S256", "RFC 7636 4.3, 4.4.1; RFC 9700 2.1.1", new ProofKeyStep()),
                new AuthorizeStep("nonce when there is no PKCE", "RFC 9700 2.1.1", new NonceWithoutProofKeyStep()),
                new AuthorizeStep("prompt values", "OIDC Core 3.1.2.1", new PromptStep()),
                new AuthorizeStep("LoA demand, max_age, prompt: sign-in needed?", "OIDC Core 3.1.2.1, 5.5.1.1",
                        signInNeeded),
                new AuthorizeStep("minors served by the portal", "RFC 6749 4.1.2.1 (access_denied)", minors),
                new AuthorizeStep("consent needed?", "OIDC Core 3.1.2.4", consentNeeded));
    }

    /** The steps as the table above lists them (for tests and documentation). */
    public List<AuthorizeStep> steps() {
        return steps;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        for (AuthorizeStep step : steps) {
            try {
                step.rule().accept(context);
            } catch (RuntimeException refused) {
                log.debug("authorization request stopped at '{}' ({})", step.name(), step.spec());
                throw refused;
            }
        }
    }
}

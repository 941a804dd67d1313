package io.passerelle.authorize;

import io.passerelle.broker.LoginDemand;
import io.passerelle.broker.LoginTransaction.ConsentQuestion;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * The one outcome of the authorization endpoint that is not an answer to the portal: the citizen must
 * sign in (or sign in again), or decide what to share, before a code can be issued. Thrown by the last
 * two steps ({@link SignInNeededStep}, {@link ConsentNeededStep}) and handled in one place,
 * {@link Interactions}. Its error is OIDC's own {@code interaction_required} (Core 3.1.2.6): should it
 * ever reach a portal, it says the truth.
 */
public final class InteractionRequired extends OAuth2AuthorizationCodeRequestAuthenticationException {

    public enum Kind { SIGN_IN, CONSENT }

    private final Kind kind;
    private final transient LoginDemand demand;
    private final transient ConsentQuestion question;

    private InteractionRequired(Kind kind, String why, LoginDemand demand, ConsentQuestion question,
                                OAuth2AuthorizationCodeRequestAuthenticationToken request) {
        super(new OAuth2Error("interaction_required", why, null), request);
        this.kind = kind;
        this.demand = demand;
        this.question = question;
    }

    static InteractionRequired signIn(String why, LoginDemand demand, OAuth2AuthorizationCodeRequestAuthenticationToken request) {
        return new InteractionRequired(Kind.SIGN_IN, why, demand, null, request);
    }

    static InteractionRequired consent(LoginDemand demand, ConsentQuestion question,
                                       OAuth2AuthorizationCodeRequestAuthenticationToken request) {
        return new InteractionRequired(Kind.CONSENT, "consent needed", demand, question, request);
    }

    public Kind kind() {
        return kind;
    }

    /** What the request demands of the sign-in, with the request to resume. */
    public LoginDemand demand() {
        return demand;
    }

    /** The question to put to the citizen ({@link Kind#CONSENT} only). */
    public ConsentQuestion question() {
        return question;
    }
}

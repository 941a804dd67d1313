package io.passerelle.authorize;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.passerelle.broker.Broker;
import io.passerelle.broker.BrowserCookie;
import io.passerelle.broker.LoginDemand;
import io.passerelle.broker.LoginTransaction;
import io.passerelle.broker.LoginTransactionStore;
import io.passerelle.broker.SignInRedirect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where an authorization request that needs the citizen ({@link InteractionRequired})
 * turns into a page: to sign in (the key chooser, or the provider at once) or to the consent page,
 * with the login's record holding everything needed to resume the request afterwards.
 */
public final class Interactions {

    public static final String CONSENT_PAGE = "/consent";

    private static final Logger log = LoggerFactory.getLogger(Interactions.class);

    private final SignInRedirect signIn;
    private final Broker broker;
    private final LoginTransactionStore logins;
    private final BrowserCookie cookie;

    public Interactions(SignInRedirect signIn, Broker broker, LoginTransactionStore logins, BrowserCookie cookie) {
        this.signIn = signIn;
        this.broker = broker;
        this.logins = logins;
        this.cookie = cookie;
    }

    public void handle(InteractionRequired interaction, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        log.debug("interaction required ({}): {}", interaction.kind(), interaction.getError().getDescription());
        switch (interaction.kind()) {
            case SIGN_IN -> signIn.send(request, response, interaction.demand());
            case CONSENT -> askConsent(interaction, request, response);
        }
    }

    /**
     * The question goes into this request's login when it has one (it has just signed in), so that the
     * login keeps one record; a browser already signed in gets a new record for the question alone.
     */
    private void askConsent(InteractionRequired interaction, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        LoginDemand demand = interaction.demand();
        String browser = cookie.bind(request, response);
        LoginTransaction login = logins.forRequest(browser, LoginTransaction.requestKey(demand.resumeUrl())).orElse(null);
        if (login != null) {
            logins.askConsent(login, interaction.question());
        } else {
            login = broker.draft(demand, browser).withConsent(interaction.question());
            logins.create(login);
        }
        response.sendRedirect(request.getContextPath() + CONSENT_PAGE + "?" + SignInRedirect.LOGIN_PARAMETER + "="
                + login.id());
    }

    /** The request's login is over once its code is issued: the next request starts afresh. */
    public void completed(HttpServletRequest request) {
        String browser = BrowserCookie.hashOf(request);
        // The demand the sign-in step worked out for this very request holds its address already.
        if (browser != null && request.getAttribute(SignInNeededStep.DEMAND) instanceof LoginDemand demand) {
            logins.complete(browser, LoginTransaction.requestKey(demand.resumeUrl()));
        }
    }
}

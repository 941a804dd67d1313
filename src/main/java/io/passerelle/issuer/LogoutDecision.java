package io.passerelle.issuer;

import java.util.List;

import io.passerelle.identity.CitizenAuthentication;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * What Passerelle does with a logout request ({@link LogoutDecider}).
 *
 * @param citizen   the browser's sign-in, or null when nobody is signed in here
 * @param endNow    true when a verified hint names this very browser session: sign out without asking
 * @param clientId  the portal that asked, when the request identifies it reliably (verified hint or
 *                  {@code client_id} without a contradicting hint), else null
 * @param redirect  the portal's registered {@code post_logout_redirect_uri} with its {@code state},
 *                  or null: then the citizen sees Passerelle's own "signed out" page
 * @param uiLocales the portal's {@code ui_locales}, for the pages Passerelle shows
 */
final class LogoutDecision extends AbstractAuthenticationToken {

    final transient CitizenAuthentication citizen;
    final boolean endNow;
    final String clientId;
    final String redirect;
    final String uiLocales;

    LogoutDecision(CitizenAuthentication citizen, boolean endNow, String clientId, String redirect, String uiLocales) {
        super(List.of());
        this.citizen = citizen;
        this.endNow = endNow;
        this.clientId = clientId;
        this.redirect = redirect;
        this.uiLocales = uiLocales;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return citizen;
    }
}

package io.passerelle.issuer;

import java.util.List;

import io.passerelle.identity.CitizenAuthentication;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A logout request at {@code /connect/logout} (OIDC RP-Initiated Logout 1.0, 2), as read from the query
 * or the form, with the browser's current sign-in ({@code citizen}, null when nobody is signed in). Every
 * parameter is optional: a request without {@code id_token_hint} still signs the citizen out, once
 * they confirm it (3).
 */
final class LogoutRequest extends AbstractAuthenticationToken {

    final String idTokenHint;
    final String clientId;
    final String postLogoutRedirectUri;
    final String state;
    final String uiLocales;
    final transient CitizenAuthentication citizen;

    LogoutRequest(String idTokenHint, String clientId, String postLogoutRedirectUri, String state, String uiLocales,
                  CitizenAuthentication citizen) {
        super(List.of());
        this.idTokenHint = idTokenHint;
        this.clientId = clientId;
        this.postLogoutRedirectUri = postLogoutRedirectUri;
        this.state = state;
        this.uiLocales = uiLocales;
        this.citizen = citizen;
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

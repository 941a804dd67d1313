package io.passerelle.issuer;

import jakarta.servlet.http.HttpServletRequest;

import io.passerelle.identity.CitizenAuthentication;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.util.StringUtils;

/**
 * Reads a logout request (RP-Initiated Logout 1.0, 2: GET query or POST form) without refusing any: a
 * missing or unusable {@code id_token_hint} leads to a question to the citizen, never to an error page
 * that would leave them signed in. Oversized or repeated parameters were already refused by
 * {@link RequestLimitsFilter}.
 */
final class LogoutRequestConverter implements AuthenticationConverter {

    @Override
    public Authentication convert(HttpServletRequest request) {
        CitizenAuthentication citizen = SecurityContextHolder.getContext().getAuthentication()
                instanceof CitizenAuthentication signedIn ? signedIn : null;
        return new LogoutRequest(text(request, "id_token_hint"), text(request, "client_id"),
                text(request, "post_logout_redirect_uri"), text(request, "state"), text(request, "ui_locales"), citizen);
    }

    private static String text(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        return StringUtils.hasText(value) ? value : null;
    }
}

package io.passerelle.issuer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.passerelle.identity.CitizenAuthentication;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.web.util.UriUtils;

/**
 * Carries out a {@link LogoutDecision}: signs out at once and goes back to the portal (or to "You are
 * signed out"), or keeps the request and asks the citizen first on {@link #CONFIRM_PAGE}. Nobody signed
 * in: nothing to end, the browser goes on as if it had been.
 */
public final class LogoutResponder implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    private static final String CONFIRM_PAGE = PendingLogout.CONFIRM_PAGE;
    private static final String DONE_PAGE = PendingLogout.DONE_PAGE;

    private final SignOut signOut;

    LogoutResponder(SignOut signOut) {
        this.signOut = signOut;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                        Authentication authentication) throws IOException {
        LogoutDecision decision = (LogoutDecision) authentication;
        if (decision.citizen != null && !decision.endNow) {
            request.getSession().setAttribute(PendingLogout.SESSION_ATTRIBUTE,
                    new PendingLogout(decision.clientId, decision.redirect));
            response.sendRedirect(page(request, CONFIRM_PAGE, decision.uiLocales));
            return;
        }
        if (decision.citizen != null) {
            signOut.thisSession(request, decision.citizen);
        }
        response.sendRedirect(decision.redirect != null ? decision.redirect : page(request, DONE_PAGE, decision.uiLocales));
    }

    /** Not expected (the decider refuses nothing); if it happens, the citizen is asked, never left with an error. */
    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException exception) throws IOException {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof CitizenAuthentication) {
            request.getSession().setAttribute(PendingLogout.SESSION_ATTRIBUTE, new PendingLogout(null, null));
            response.sendRedirect(page(request, CONFIRM_PAGE, null));
            return;
        }
        response.sendRedirect(page(request, DONE_PAGE, null));
    }

    /** One of the citizen pages, in the language the portal asked for (OIDC Core 3.1.2.1 ui_locales). */
    public static String page(HttpServletRequest request, String path, String uiLocales) {
        String page = request.getContextPath() + path;
        return uiLocales == null || uiLocales.length() > 200 ? page
                : page + "?ui_locales=" + UriUtils.encode(uiLocales, StandardCharsets.UTF_8);
    }
}

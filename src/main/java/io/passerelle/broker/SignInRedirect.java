package io.passerelle.broker;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;

/**
 * Sends the browser to the key chooser and remembers the authorization request to resume after the
 * sign-in. Used when there is no session, and for step-up (a higher LoA, {@code prompt=login},
 * {@code max_age}): the old sign-in is dropped from the session first, so that a citizen who gives up
 * is not left signed in at a level the portal refused.
 */
public final class SignInRedirect {

    public static final String SIGN_IN_PAGE = "/signin";

    private final RequestCache requestCache = new HttpSessionRequestCache();
    private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    public void send(HttpServletRequest request, HttpServletResponse response) throws IOException {
        SecurityContextHolder.clearContext();
        contexts.saveContext(SecurityContextHolder.createEmptyContext(), request, response);
        requestCache.saveRequest(request, response);
        response.sendRedirect(request.getContextPath() + SIGN_IN_PAGE);
    }

    public RequestCache requestCache() {
        return requestCache;
    }
}

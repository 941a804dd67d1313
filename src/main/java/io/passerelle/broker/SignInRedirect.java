package io.passerelle.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import io.passerelle.connector.ConnectorRegistry;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.web.util.UriUtils;

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
    private final ConnectorRegistry connectors;

    public SignInRedirect(ConnectorRegistry connectors) {
        this.connectors = connectors;
    }

    public void send(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        SecurityContextHolder.clearContext();
        contexts.saveContext(SecurityContextHolder.createEmptyContext(), request, response);
        requestCache.saveRequest(request, response);
        HttpSession session = request.getSession(false);
        LoginDemand demand = session == null ? null : (LoginDemand) session.getAttribute(LoginDemand.SESSION_ATTRIBUTE);
        if (demand != null && KeyChoice.automatic(connectors, demand).isPresent() && "GET".equals(request.getMethod())) {
            // Nothing to choose: the sign-in page starts the login at once, so serve it in this request
            // and spare the browser a round trip (the page answers with the redirect upstream). Not for a
            // form-posted request: the page is a GET route, and a forward keeps the method.
            request.getRequestDispatcher(SIGN_IN_PAGE).forward(request, response);
            return;
        }
        response.sendRedirect(request.getContextPath() + SIGN_IN_PAGE);
    }

    public RequestCache requestCache() {
        return requestCache;
    }

    /**
     * Where the saved authorization request resumes after the sign-in, as a GET. A form-posted request
     * (OIDC Core 3.1.2.1: the endpoint must accept POST) carries its parameters in the body, which the
     * saved request's own URL does not hold: they are written into the query instead.
     */
    public static String resumeUrl(SavedRequest saved) {
        String url = saved.getRedirectUrl();
        if ("GET".equalsIgnoreCase(saved.getMethod())) {
            return url;
        }
        int query = url.indexOf('?');
        StringBuilder resume = new StringBuilder(query < 0 ? url : url.substring(0, query));
        char separator = '?';
        for (Map.Entry<String, String[]> parameter : saved.getParameterMap().entrySet()) {
            for (String value : parameter.getValue()) {
                resume.append(separator).append(UriUtils.encode(parameter.getKey(), StandardCharsets.UTF_8))
                        .append('=').append(UriUtils.encode(value, StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return resume.toString();
    }
}

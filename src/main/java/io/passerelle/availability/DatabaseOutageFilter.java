package io.passerelle.availability;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.passerelle.audit.ReferenceCode;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Catches a database outage wherever it surfaced (a Spring Authorization Server provider, a store, a
 * controller: they all let it propagate) and answers 503 at once, logged once with a reference code
 * and without a stack trace. The portals' API endpoints get the OAuth JSON error; every other request
 * goes to the error page, which shows the citizen, in their language, that Passerelle is temporarily
 * unavailable. Registered in front of Spring Security, so it wraps every filter chain.
 *
 * <p>The authorization endpoint answers a portal's request before this filter sees anything, with a
 * {@code temporarily_unavailable} redirect (see {@code UnavailableAuthorizationRequests}); what reaches
 * this filter from there is a request that could not be sent back safely.
 */
public final class DatabaseOutageFilter extends OncePerRequestFilter {

    /** The endpoints portals call from their servers: they read JSON, never a page. */
    static final Set<String> API = Set.of("/oauth2/token", "/oauth2/par", "/oauth2/introspect", "/oauth2/revoke",
            "/userinfo");

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutageFilter.class);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException failure) {
            if (!DatabaseOutage.causedBy(failure) || response.isCommitted()) {
                throw failure;
            }
            String reference = ReferenceCode.next();
            log.warn("error {}: database unavailable on {} {}: {}", reference, request.getMethod(),
                    request.getRequestURI(), summary(failure));
            if (API.contains(request.getRequestURI())) {
                DatabaseOutage.writeJson(response, reference);
                return;
            }
            request.setAttribute(DatabaseOutage.REFERENCE_ATTRIBUTE, reference);
            response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        }
    }

    /** The outermost and innermost messages: enough to tell a refused connection from a timeout. */
    private static String summary(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? String.valueOf(failure) : failure.getClass().getSimpleName() + " <- " + root;
    }
}

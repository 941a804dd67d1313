package io.passerelle.issuer.throttle;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;


import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, before any credential is checked, a request to a client-authenticated endpoint (token, PAR,
 * introspection, revocation) from an address or for a client that {@link ClientAuthThrottle} says must
 * wait: 429 with {@code Retry-After} in seconds (RFC 6585 4) and an OAuth error body. The address is the
 * connection's ({@code getRemoteAddr}); behind a reverse proxy, configure the server's forwarded-header
 * handling so that it is the portal's, not the proxy's.
 */
public final class ClientAuthThrottleFilter extends OncePerRequestFilter {

    private final ClientAuthThrottle throttle;
    /** The client-authenticated endpoints (token, PAR, introspection, revocation), given by the issuer. */
    private final java.util.Set<String> endpoints;

    public ClientAuthThrottleFilter(ClientAuthThrottle throttle, java.util.Set<String> endpoints) {
        this.endpoints = java.util.Set.copyOf(endpoints);
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Duration> wait = endpoints.contains(request.getRequestURI())
                ? throttle.refusal(request.getRemoteAddr(), clientId(request)) : Optional.empty();
        if (wait.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader("Retry-After", Long.toString(wait.get().toSeconds()));
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write("{\"error\":\"invalid_client\",\"error_description\":"
                + "\"too many failed client authentications; retry later\"}");
    }

    /**
     * The client_id the request claims: the form parameter (also set from a client assertion's
     * {@code sub}, see AssertionClientIdFilter), else the HTTP Basic user name (RFC 6749 2.3.1:
     * form-encoded); null when there is none or it cannot be read.
     */
    static String clientId(HttpServletRequest request) {
        String parameter = request.getParameter("client_id");
        if (parameter != null) {
            return parameter;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String credentials = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = credentials.indexOf(':');
            return colon <= 0 ? null : URLDecoder.decode(credentials.substring(0, colon), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }
}

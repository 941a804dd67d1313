package io.passerelle.issuer;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The POST-only endpoints (token RFC 6749 3.2, PAR RFC 9126 2.1, introspection RFC 7662 2.1, revocation
 * RFC 7009 2.1) answer another method with 405 and {@code Allow: POST}, whatever the Accept header. The
 * server's filters only match POST, so a GET used to fall through to the citizen pages and be redirected
 * to the sign-in page.
 */
public final class ApiMethodFilter extends OncePerRequestFilter {

    public static final Set<String> POST_ONLY = Set.of("/oauth2/token", "/oauth2/par", "/oauth2/introspect",
            "/oauth2/revoke");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!POST_ONLY.contains(request.getRequestURI()) || "POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpStatus.METHOD_NOT_ALLOWED.value());
        response.setHeader("Allow", "POST");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write("{\"error\":\"invalid_request\",\"error_description\":\""
                + request.getRequestURI() + " accepts POST only\"}");
    }
}

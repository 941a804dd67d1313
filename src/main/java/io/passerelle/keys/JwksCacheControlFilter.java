package io.passerelle.keys;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets portals cache the JWKS for exactly {@code passerelle.keys.jwks-cache-lifetime}: the promise the
 * rotation schedule is built on (a new key is published at least that long before it signs, a retired one
 * stays at least that long after its last token expired).
 *
 * <p>Registered in front of Spring Security for the JWKS path only. Spring Security's own header writer
 * sends {@code no-cache, no-store} on every response unless a {@code Cache-Control} header is already
 * there, so setting it first is what makes it survive; the authorization server's JWKS filter writes the
 * body and never touches the header.
 */
public final class JwksCacheControlFilter extends OncePerRequestFilter {

    private final String cacheControl;

    public JwksCacheControlFilter(Duration jwksCacheLifetime) {
        this.cacheControl = "public, max-age=" + jwksCacheLifetime.toSeconds();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // Only the document itself: an error answer (e.g. a POST refused) must not be cached by proxies.
        if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
            response.setHeader(HttpHeaders.CACHE_CONTROL, cacheControl);
        }
        chain.doFilter(request, response);
    }
}

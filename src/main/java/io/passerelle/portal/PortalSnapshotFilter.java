package io.passerelle.portal;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * Pins the portals a request starts with for the whole request ({@link PortalRegistry#pin()}): a reload
 * applied while a token request runs must not give it the client of one version and the claim aliases of
 * the next. Registered before every other filter (see {@link PortalConfiguration}).
 */
public final class PortalSnapshotFilter implements Filter {

    private final PortalRegistry registry;

    public PortalSnapshotFilter(PortalRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try (PortalRegistry.Pin pin = registry.pin()) {
            chain.doFilter(request, response);
        }
    }
}

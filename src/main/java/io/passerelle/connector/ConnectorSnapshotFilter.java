package io.passerelle.connector;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * Pins the connectors a request starts with for the whole request ({@link ConnectorRegistry#pin()}): a reload
 * applied while the chooser is built or a login starts must not offer a key of one version and start it with
 * the next. Registered right after the portals' snapshot filter (see {@link ConnectorConfiguration}).
 */
public final class ConnectorSnapshotFilter implements Filter {

    private final ConnectorRegistry registry;

    public ConnectorSnapshotFilter(ConnectorRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try (ConnectorRegistry.Pin pin = registry.pin()) {
            chain.doFilter(request, response);
        }
    }
}

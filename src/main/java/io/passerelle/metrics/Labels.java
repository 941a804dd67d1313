package io.passerelle.metrics;

import java.util.Set;
import java.util.regex.Pattern;

import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.portal.PortalRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Label values with a bounded number of values, so that a client sending made-up ids cannot grow the
 * series without end: portal and connector ids only when configured (looked up live), the rest from
 * fixed lists; anything else is {@code other}, and a missing value is {@code none}.
 */
final class Labels {

    static final String OTHER = "other";
    static final String NONE = "none";

    private static final Set<String> LOAS = Set.of("low", "substantial", "high");
    private static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token", "client_credentials");
    private static final Set<String> DECISIONS = Set.of("granted", "refused", "withdrawn");
    /** Failure reasons are short codes written by the broker ("expired", "loa-not-met"), before ": message". */
    private static final Pattern REASON = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    // Looked up when an event comes: the registries' own beans record audit events (keys), so they cannot
    // be constructor arguments of the audit log's listener.
    private final ObjectProvider<PortalRegistry> portals;
    private final ObjectProvider<ConnectorRegistry> connectors;

    Labels(ObjectProvider<PortalRegistry> portals, ObjectProvider<ConnectorRegistry> connectors) {
        this.portals = portals;
        this.connectors = connectors;
    }

    private volatile PortalRegistry portalRegistry;
    private volatile ConnectorRegistry connectorRegistry;

    String portal(String clientId) {
        if (clientId == null) {
            return NONE;
        }
        PortalRegistry registry = portalRegistry;
        if (registry == null) { // resolved once, on the first event (a bean lookup per event costs on every login)
            portalRegistry = registry = portals.getObject();
        }
        return registry.portal(clientId).isPresent() ? clientId : OTHER;
    }

    String connector(String connectorId) {
        if (connectorId == null) {
            return NONE;
        }
        ConnectorRegistry registry = connectorRegistry;
        if (registry == null) {
            connectorRegistry = registry = connectors.getObject();
        }
        return registry.find(connectorId).isPresent() ? connectorId : OTHER;
    }

    static String loa(String loa) {
        return oneOf(LOAS, loa);
    }

    static String grantType(String grantType) {
        return oneOf(GRANT_TYPES, grantType);
    }

    static String decision(String decision) {
        return oneOf(DECISIONS, decision);
    }

    /** The code before the first colon of an audit reason ("upstream-error: the token endpoint said ..."). */
    static String reason(String reason) {
        if (reason == null) {
            return NONE;
        }
        String code = reason.split(":", 2)[0].trim();
        return REASON.matcher(code).matches() ? code : OTHER;
    }

    private static String oneOf(Set<String> known, String value) {
        return value == null ? NONE : known.contains(value) ? value : OTHER;
    }
}

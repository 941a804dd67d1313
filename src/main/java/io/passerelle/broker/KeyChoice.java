package io.passerelle.broker;

import io.passerelle.portal.PortalConfig;
import io.passerelle.portal.PortalRegistry;

import java.util.List;
import java.util.Optional;

import io.passerelle.connector.Connector;
import io.passerelle.connector.ConnectorRegistry;

/**
 * Which keys a demand allows, and when the chooser is skipped: a portal's {@code idp_hint} naming a
 * key that reaches the level, or a single key that does. One rule, used by the chooser page and by the
 * authorization endpoint (which then starts the login without the extra round trip to the page).
 */
public final class KeyChoice {

    private KeyChoice() {
    }

    /** The keys that reach the level and that the portal accepts (its {@code allowed_keys}). */
    public static List<Connector> candidates(ConnectorRegistry connectors, PortalRegistry portals, LoginDemand demand) {
        return connectors.meeting(demand.requiredLoa()).stream()
                .filter(c -> accepts(portals, demand.clientId(), c.id())).toList();
    }

    /** Whether the portal accepts the key; a sign-in without a portal (the account page) accepts every key. */
    public static boolean accepts(PortalRegistry portals, String clientId, String connectorId) {
        return portals == null || clientId == null
                || portals.portal(clientId).map(p -> p.acceptsKey(connectorId)).orElse(true);
    }

    /**
     * Every {@code allowed_keys} entry names a configured key: a typo would silently lock the portal's citizens
     * out of that key. Checked at start; the error names the portal file and the field. The rule lives in
     * {@link io.passerelle.portal.AllowedKeys}, which also applies it when portals or connectors reload.
     */
    public static void checkAllowedKeys(java.util.Collection<PortalConfig> portals, ConnectorRegistry connectors) {
        io.passerelle.portal.AllowedKeys.check(portals, connectors);
    }

    /** The key to start with at once, if the citizen has nothing to choose. */
    public static Optional<Connector> automatic(ConnectorRegistry connectors, PortalRegistry portals, LoginDemand demand) {
        List<Connector> candidates = candidates(connectors, portals, demand);
        if (demand.idpHint() != null) {
            return connectors.find(demand.idpHint()).filter(candidates::contains);
        }
        return candidates.size() == 1 ? Optional.of(candidates.getFirst()) : Optional.empty();
    }

    /** A hint was given but names no key that reaches the level: the chooser says so. */
    public static boolean hintRefused(ConnectorRegistry connectors, PortalRegistry portals, LoginDemand demand) {
        return demand.idpHint() != null && automatic(connectors, portals, demand).isEmpty();
    }
}

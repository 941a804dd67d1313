package io.passerelle.portal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.passerelle.config.ConfigFileException;
import io.passerelle.connector.ConnectorRegistry;

/**
 * A portal's {@code allowed_keys} names only configured connectors: a typo would silently lock the portal's
 * citizens out of that key. Checked at start (every portal), when a portal file is (re)loaded or written
 * through the admin API (that portal: refused like any bad portal file), and before a connector is removed
 * (the removal is refused while a portal names it, see {@code connector.ConnectorReload}).
 */
public final class AllowedKeys {

    private AllowedKeys() {
    }

    /** Every portal's keys; the error names the portal file and the field. */
    public static void check(Collection<PortalConfig> portals, ConnectorRegistry connectors) {
        portals.forEach(portal -> check(portal, connectors));
    }

    /** This portal's keys against the connectors served now; the error names the portal file and the field. */
    public static void check(PortalConfig portal, ConnectorRegistry connectors) {
        for (int i = 0; i < portal.allowedKeys().size(); i++) {
            String key = portal.allowedKeys().get(i);
            if (connectors.find(key).isEmpty()) {
                throw new ConfigFileException(portal.sourceFile(), "allowed_keys[" + i + "]",
                        "names no configured key '" + key + "' (configured: " + connectors.ids() + ")");
            }
        }
    }

    /** The portals whose {@code allowed_keys} name {@code connectorId}, each with its file and field, for the operator. */
    public static List<String> naming(Collection<PortalConfig> portals, String connectorId) {
        List<String> naming = new ArrayList<>();
        for (PortalConfig portal : portals) {
            int index = portal.allowedKeys().indexOf(connectorId);
            if (index >= 0) {
                naming.add("portal " + portal.clientId() + " (" + portal.sourceFile() + ", allowed_keys[" + index + "])");
            }
        }
        return naming;
    }
}

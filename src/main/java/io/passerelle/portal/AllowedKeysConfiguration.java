package io.passerelle.portal;

import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.connector.ConnectorReload;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps {@link AllowedKeys} true while portals and connectors reload (issue 15, item 4); at start
 * {@code broker.KeyChoice} checks every portal. Here because this package sees both reloads (the connector
 * package must not see portals):
 * <ul>
 * <li>a portal file naming an unknown connector is refused like any bad portal file (its previous version
 *     stays);</li>
 * <li>a connector removal is refused while a portal names it (see {@link ConnectorReload} for why);</li>
 * <li>both apply under the portals' reload lock, so a portal naming a connector and that connector's removal
 *     never pass their checks at the same time;</li>
 * <li>once connectors changed, the portal files are read again: a portal refused for naming a connector that
 *     has been added since applies then (a portal and its new connector deployed together).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class AllowedKeysConfiguration {

    /** Wired once every bean exists and before the file watchers start. */
    @Bean
    SmartInitializingSingleton allowedKeysOnReload(PortalReload portals, PortalRegistry portalRegistry,
                                                   ConnectorReload connectors, ConnectorRegistry connectorRegistry) {
        return () -> {
            portals.checkEach(portal -> AllowedKeys.check(portal, connectorRegistry));
            connectors.coordinate(id -> AllowedKeys.naming(portalRegistry.portals(), id), portals, portals::reload);
        };
    }
}

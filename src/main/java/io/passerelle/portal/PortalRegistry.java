package io.passerelle.portal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.passerelle.portal.PortalConfig;

import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The portals Passerelle serves. {@code config/clients/*.yml} is the source of truth: at start every
 * configured portal is written to the registered-client table (so stored authorizations keep resolving
 * their client, on every node) and held in memory, so that no request reads the database or a file
 * to find its client. A portal without a file here is unknown to this node (its requests are refused),
 * but its stored registration, authorizations and consents are kept: another node of the cluster may
 * still have its file and serve it, and a file removed by mistake must not cost every citizen's grant.
 * Removing them is an explicit, audited operator command ({@code portals remove}, package
 * {@code io.passerelle.portal}), which also reports at start the stored portals this node does not serve.
 */
public final class PortalRegistry implements RegisteredClientRepository {

    private static final Logger log = LoggerFactory.getLogger(PortalRegistry.class);

    private final Map<String, RegisteredClient> byClientId = new LinkedHashMap<>();
    private final Map<String, RegisteredClient> byId = new LinkedHashMap<>();
    private final Map<String, PortalConfig> configs = new LinkedHashMap<>();

    public PortalRegistry(List<PortalConfig> portals, Map<String, RegisteredClient> clients,
                          JdbcRegisteredClientRepository table) {
        for (PortalConfig portal : portals) {
            RegisteredClient client = clients.get(portal.clientId());
            table.save(client);
            byClientId.put(client.getClientId(), client);
            byId.put(client.getId(), client);
            configs.put(portal.clientId(), portal);
        }
        log.info("{} portals configured: {}", byClientId.size(), byClientId.keySet());
    }

    /** Portals come from configuration files only; there is no dynamic registration. */
    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("portals are registered by config/clients/*.yml");
    }

    @Override
    public RegisteredClient findById(String id) {
        return byId.get(id);
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return byClientId.get(clientId);
    }

    public Optional<PortalConfig> portal(String clientId) {
        return Optional.ofNullable(configs.get(clientId));
    }

    public Collection<PortalConfig> portals() {
        return configs.values();
    }
}

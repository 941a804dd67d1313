package io.passerelle.issuer;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.passerelle.issuer.portal.PortalConfig;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The portals Passerelle serves. {@code config/clients/*.yml} is the source of truth: at start every
 * configured portal is written to the registered-client table (so stored authorizations keep resolving
 * their client, on every node) and held in memory, so that no request reads the database or a file
 * to find its client. A portal removed from the configuration is unknown from the next start on and
 * its authorizations, with every token issued to it, are deleted.
 */
public final class PortalRegistry implements RegisteredClientRepository {

    private static final Logger log = LoggerFactory.getLogger(PortalRegistry.class);

    private final Map<String, RegisteredClient> byClientId = new LinkedHashMap<>();
    private final Map<String, RegisteredClient> byId = new LinkedHashMap<>();
    private final Map<String, PortalConfig> configs = new LinkedHashMap<>();

    public PortalRegistry(List<PortalConfig> portals, Map<String, RegisteredClient> clients,
                          JdbcRegisteredClientRepository table, JdbcClient jdbc) {
        for (PortalConfig portal : portals) {
            RegisteredClient client = clients.get(portal.clientId());
            table.save(client);
            byClientId.put(client.getClientId(), client);
            byId.put(client.getId(), client);
            configs.put(portal.clientId(), portal);
        }
        List<String> removed = jdbc.sql("SELECT id FROM oauth2_registered_client").query(String.class).list()
                .stream().filter(id -> !byId.containsKey(id)).toList();
        for (String id : removed) {
            int revoked = jdbc.sql("DELETE FROM oauth2_authorization WHERE registered_client_id = ?").param(id).update();
            jdbc.sql("DELETE FROM oauth2_authorization_consent WHERE registered_client_id = ?").param(id).update();
            jdbc.sql("DELETE FROM oauth2_registered_client WHERE id = ?").param(id).update();
            log.warn("portal {} is no longer configured: removed, with {} authorizations", id, revoked);
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

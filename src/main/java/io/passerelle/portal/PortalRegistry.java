package io.passerelle.portal;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The portals this node serves, in memory, so that no request reads the database or a file to find its
 * client. {@code config/clients/*.yml} is the source of truth, read by {@link PortalReload} at start and
 * again whenever the files change; each reload swaps one immutable {@link Served} snapshot in a volatile
 * field, so a lookup sees either the portals before a reload or after it, never half of each; and a request
 * pins the snapshot it started with ({@link #pin()}, held for the whole request by a filter, {@code PortalConfiguration}), so that all its lookups
 * (the server's client, the portal's consent text, its claim aliases) come from one version of the files.
 *
 * <p>A portal without a file here is unknown to this node (its requests are refused), but its stored
 * registration, authorizations and consents are kept: another node of the cluster may still have its file
 * and serve it, and a file removed by mistake must not cost every citizen's grant. Removing them is an
 * explicit, audited operator command ({@code portals remove}, see {@link StoredPortals}).
 */
public final class PortalRegistry implements RegisteredClientRepository {

    /** One portal as served: its validated file and the server's view of it. */
    public record ServedPortal(PortalConfig config, RegisteredClient client) {
    }

    /** One consistent set of portals; never changed once built. */
    private record Served(Map<String, RegisteredClient> byClientId, Map<String, RegisteredClient> byId,
                          Map<String, PortalConfig> configs, Map<String, ServedPortal> portals) {

        static Served of(Collection<ServedPortal> portals) {
            Map<String, RegisteredClient> byClientId = new LinkedHashMap<>();
            Map<String, RegisteredClient> byId = new LinkedHashMap<>();
            Map<String, PortalConfig> configs = new LinkedHashMap<>();
            Map<String, ServedPortal> served = new LinkedHashMap<>();
            for (ServedPortal portal : portals) {
                byClientId.put(portal.client().getClientId(), portal.client());
                byId.put(portal.client().getId(), portal.client());
                configs.put(portal.config().clientId(), portal.config());
                served.put(portal.config().clientId(), portal);
            }
            return new Served(Collections.unmodifiableMap(byClientId), Collections.unmodifiableMap(byId),
                    Collections.unmodifiableMap(configs), Collections.unmodifiableMap(served));
        }
    }

    private final io.passerelle.config.Pinned<Served> served;
    /** The snapshot this thread's request started with; unset outside a request (background jobs). */


    public PortalRegistry(Collection<ServedPortal> portals) {
        this.served = new io.passerelle.config.Pinned<>(Served.of(portals));
    }

    /** Serves exactly {@code portals} from now on (a reload); requests in progress keep the set they started with. */
    void replace(Collection<ServedPortal> portals) {
        served.replace(Served.of(portals));
    }

    /**
     * Until closed, this thread's lookups see the portals as they are now, whatever a reload does meanwhile.
     * A nested pin keeps the outer one.
     */
    public io.passerelle.config.Pinned.Pin pin() {
        return served.pin();
    }

    private Served current() {
        return served.get();
    }

    /** Portals come from configuration files only; there is no dynamic registration. */
    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("portals are registered by config/clients/*.yml");
    }

    @Override
    public RegisteredClient findById(String id) {
        return current().byId().get(id);
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return current().byClientId().get(clientId);
    }

    public Optional<PortalConfig> portal(String clientId) {
        return Optional.ofNullable(current().configs().get(clientId));
    }

    /** The portals served now: a snapshot, unchanged by a later reload. */
    public Collection<PortalConfig> portals() {
        return current().configs().values();
    }

    /** The served portals by client id (a snapshot), for the reload to compare against. */
    Map<String, ServedPortal> served() {
        return served.latest().portals();
    }

    /** The client ids served now, in file order. */
    public List<String> clientIds() {
        return List.copyOf(served.latest().configs().keySet());
    }
}

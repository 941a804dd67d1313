package io.passerelle.connector;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.passerelle.config.YamlConfigFile;

/**
 * The connectors this node serves, from config/connectors/*.yml: read at start, and again while the node runs
 * by {@link ConnectorReload}. Each reload swaps one immutable snapshot in a volatile field, so a lookup sees
 * the connectors before a reload or after it, never half of each; and a request pins the snapshot it started
 * with ({@link #pin()}, held for the whole request by a filter, {@code ConnectorConfiguration}), so that the chooser it shows and the key it
 * starts come from one version of the files.
 *
 * <p>A connector without a file here is unknown to this node (the chooser does not show it, its callback gets
 * the "misconfigured" page), but nothing stored is deleted: citizens' links through it stay.
 */
public final class ConnectorRegistry {

    /** Fields every connector file may have; a factory adds its own to reject typos. */
    public static final Set<String> COMMON_FIELDS = ConnectorFiles.COMMON_FIELDS;
    public static final List<String> LANGUAGES = ConnectorFiles.LANGUAGES;
    private static final Logger log = LoggerFactory.getLogger(ConnectorRegistry.class);

    /** One consistent set of connectors, by id and sorted by id; never changed once built. */
    private record Served(Map<String, Connector> byId, List<Connector> sorted) {

        static Served of(Collection<Connector> connectors) {
            Map<String, Connector> byId = new LinkedHashMap<>();
            connectors.forEach(c -> byId.put(c.id(), c));
            return new Served(Map.copyOf(byId),
                    byId.values().stream().sorted(Comparator.comparing(Connector::id)).toList());
        }
    }


    private final io.passerelle.config.Pinned<Served> served;
    /** The snapshot this thread's request started with; unset outside a request (background jobs). */
    private final String issuer;

    public ConnectorRegistry(Collection<Connector> connectors, String issuer) {
        this.served = new io.passerelle.config.Pinned<>(Served.of(connectors));
        this.issuer = issuer;
    }

    /** Serves exactly {@code connectors} from now on (a reload); requests in progress keep the set they started with. */
    void replace(Collection<Connector> connectors) {
        served.replace(Served.of(connectors));
    }

    /**
     * Until closed, this thread's lookups see the connectors as they are now, whatever a reload does meanwhile.
     * A nested pin keeps the outer one.
     */
    public io.passerelle.config.Pinned.Pin pin() {
        return served.pin();
    }

    private Served current() {
        return served.get();
    }

    /** The broker's callback URL for a connector: what is registered at the upstream provider. */
    public URI callbackUri(String connectorId) {
        return callbackUri(issuer, connectorId);
    }

    static URI callbackUri(String issuer, String connectorId) {
        return URI.create(issuer + "/broker/callback/" + connectorId);
    }

    /** Reads every *.yml / *.yaml of the folder (sorted); a missing folder means no connector. */
    public static ConnectorRegistry load(Path folder, String issuer, Collection<ConnectorFactory> factories) {
        return load(List.of(folder), issuer, factories);
    }

    /** Reads and builds every file now; the first bad one throws, naming its file and field (the start fails). */
    public static ConnectorRegistry load(List<Path> folders, String issuer, Collection<ConnectorFactory> factories) {
        ConnectorFiles files = new ConnectorFiles(issuer, factories);
        List<Connector> built = new ArrayList<>();
        for (Path file : folders.stream().flatMap(folder -> ConnectorFiles.list(folder).stream()).toList()) {
            YamlConfigFile config = YamlConfigFile.read(file);
            Optional<Connector> connector = files.build(config, file);
            if (connector.isEmpty()) {
                continue;
            }
            String id = connector.get().id();
            if (built.stream().anyMatch(c -> c.id().equals(id))) {
                throw config.error("id", "connector '" + id + "' is configured twice");
            }
            built.add(connector.get());
        }
        log.info("{} connectors configured: {}", built.size(), built.stream().map(Connector::id).toList());
        return new ConnectorRegistry(built, issuer);
    }

    public Optional<Connector> find(String id) {
        return Optional.ofNullable(current().byId().get(id));
    }

    /** Connectors sorted by id. */
    public List<Connector> all() {
        return current().sorted();
    }

    /** Connectors that can achieve at least the required level. */
    public List<Connector> meeting(Loa required) {
        return all().stream().filter(c -> c.maxLoa().satisfies(required)).toList();
    }

    /** The ids served now (not pinned: for the reload and the logs). */
    public List<String> ids() {
        return served.latest().sorted().stream().map(Connector::id).toList();
    }

    /** The served connectors by id (not pinned), for the reload to compare against. */
    Map<String, Connector> served() {
        return served.latest().byId();
    }
}

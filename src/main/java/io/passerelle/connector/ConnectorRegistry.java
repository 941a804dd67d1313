package io.passerelle.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.passerelle.config.ConfigFileException;
import io.passerelle.config.YamlConfigFile;

/**
 * The configured connectors, from config/connectors/*.yml, read and validated once at start. The
 * {@code type} field picks the {@link ConnectorFactory}; the common fields are validated here.
 */
public final class ConnectorRegistry {

    /** Fields every connector file may have; a factory adds its own to reject typos. */
    public static final Set<String> COMMON_FIELDS = Set.of("id", "type", "display_name", "logo", "loa", "enabled");
    public static final List<String> LANGUAGES = List.of("en", "fr", "nl", "de");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    private static final Pattern LOGO = Pattern.compile("/img/[A-Za-z0-9._-]+\\.(svg|png)");
    private static final Logger log = LoggerFactory.getLogger(ConnectorRegistry.class);

    private final Map<String, Connector> connectors;
    private final String issuer;

    public ConnectorRegistry(Collection<Connector> connectors, String issuer) {
        Map<String, Connector> byId = new LinkedHashMap<>();
        connectors.forEach(c -> byId.put(c.id(), c));
        this.connectors = Map.copyOf(byId);
        this.issuer = issuer;
    }

    /** The broker's callback URL for a connector: what is registered at the upstream provider. */
    public URI callbackUri(String connectorId) {
        return callbackUri(issuer, connectorId);
    }

    static URI callbackUri(String issuer, String connectorId) {
        return URI.create(issuer + "/broker/callback/" + connectorId);
    }

    /** Reads every *.yml / *.yaml of the folders (sorted); a missing folder means no connector. */
    public static ConnectorRegistry load(Path folder, String issuer, Collection<ConnectorFactory> factories) {
        return load(List.of(folder), issuer, factories);
    }

    public static ConnectorRegistry load(List<Path> folders, String issuer, Collection<ConnectorFactory> factories) {
        Map<String, ConnectorFactory> byType = new LinkedHashMap<>();
        factories.forEach(f -> byType.put(f.type(), f));
        List<Connector> built = new ArrayList<>();
        for (Path file : folders.stream().flatMap(folder -> files(folder).stream()).toList()) {
            YamlConfigFile config = YamlConfigFile.read(file);
            if (!config.optionalBoolean("enabled", true)) {
                log.info("connector file {} is disabled", file);
                continue;
            }
            String id = config.requiredString("id");
            String expected = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            if (!ID.matcher(id).matches()) {
                throw config.error("id", "must match " + ID.pattern());
            }
            if (!id.equals(expected)) {
                throw config.error("id", "must equal the file name '" + expected + "'");
            }
            if (built.stream().anyMatch(c -> c.id().equals(id))) {
                throw duplicate(config, id);
            }
            String type = config.requiredOneOf("type", List.copyOf(byType.keySet()));
            Map<String, String> names = config.requiredLanguageMap("display_name", LANGUAGES);
            String logo = config.optionalString("logo").orElse(null);
            if (logo != null && !LOGO.matcher(logo).matches()) {
                throw config.error("logo", "must be an image served by Passerelle, like /img/itsme.svg");
            }
            Loa loa = Loa.fromName(config.requiredOneOf("loa", List.of("low", "substantial", "high")));
            URI callback = callbackUri(issuer, id);
            ConnectorSettings common = new ConnectorSettings(id, type, names, logo, loa, callback);
            built.add(byType.get(type).create(common, config));
        }
        log.info("{} connectors configured: {}", built.size(), built.stream().map(Connector::id).toList());
        return new ConnectorRegistry(built, issuer);
    }

    private static List<Path> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.ya?ml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<Connector> find(String id) {
        return Optional.ofNullable(connectors.get(id));
    }

    /** Connectors in configuration order. */
    public List<Connector> all() {
        return connectors.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
    }

    /** Connectors that can achieve at least the required level. */
    public List<Connector> meeting(Loa required) {
        return all().stream().filter(c -> c.maxLoa().satisfies(required)).toList();
    }

    private static ConfigFileException duplicate(YamlConfigFile file, String id) {
        return file.error("id", "connector '" + id + "' is configured twice");
    }
}

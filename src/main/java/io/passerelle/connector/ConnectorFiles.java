package io.passerelle.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
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
 * One config/connectors file to one connector, the same way at start and at a reload: the common fields are
 * validated here, the {@code type} picks the {@link ConnectorFactory}, which validates the rest and builds the
 * connector completely (key files, certificates, URLs), so that a file that passes here works.
 */
final class ConnectorFiles {

    static final Set<String> COMMON_FIELDS = Set.of("id", "type", "display_name", "logo", "loa", "enabled");
    static final List<String> LANGUAGES = List.of("en", "fr", "nl", "de");
    /** A connector's id: also its file name and the path segment of its callback. */
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    private static final Pattern LOGO = Pattern.compile("/img/[A-Za-z0-9._-]+\\.(svg|png)");
    private static final Logger log = LoggerFactory.getLogger(ConnectorFiles.class);

    private final String issuer;
    private final Map<String, ConnectorFactory> byType = new LinkedHashMap<>();

    ConnectorFiles(String issuer, Collection<ConnectorFactory> factories) {
        this.issuer = issuer;
        factories.forEach(f -> byType.put(f.type(), f));
    }

    /** The connector {@code config} (read from {@code file}) describes; empty when the file says {@code enabled: false}. */
    Optional<Connector> build(YamlConfigFile config, Path file) {
        if (!config.optionalBoolean("enabled", true)) {
            log.info("connector file {} is disabled", file);
            return Optional.empty();
        }
        String id = config.requiredString("id");
        String expected = idOf(file);
        if (!ID.matcher(id).matches()) {
            throw config.error("id", "must match " + ID.pattern());
        }
        if (!id.equals(expected)) {
            throw config.error("id", "must equal the file name '" + expected + "'");
        }
        String type = config.requiredOneOf("type", List.copyOf(byType.keySet()));
        Map<String, String> names = config.requiredLanguageMap("display_name", LANGUAGES);
        String logo = config.optionalString("logo").orElse(null);
        if (logo != null && !LOGO.matcher(logo).matches()) {
            throw config.error("logo", "must be an image served by Passerelle, like /img/itsme.svg");
        }
        Loa loa = Loa.fromName(config.requiredOneOf("loa", List.of("low", "substantial", "high")));
        URI callback = ConnectorRegistry.callbackUri(issuer, id);
        return Optional.of(byType.get(type).create(new ConnectorSettings(id, type, names, logo, loa, callback), config));
    }

    /** The id a file is named after (city-id.yml: city-id); the loader refuses a file whose id differs. */
    static String idOf(Path file) {
        return file.getFileName().toString().replaceFirst("(?i)\\.ya?ml$", "");
    }

    /** The *.yml / *.yaml files of a folder, sorted, without hidden ones (a file being written aside); none if it is missing. */
    static List<Path> list(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.ya?ml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    static byte[] read(Path file) {
        try {
            if (Files.size(file) > YamlConfigFile.MAX_BYTES) {
                throw new ConfigFileException(file.toString(), "", "is larger than " + YamlConfigFile.MAX_BYTES / 1024 + " KiB");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), "", "cannot be read: " + e, e);
        }
    }

    /** The hash a reload compares: a file rewritten between the listing and the read is never half-applied. */
    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

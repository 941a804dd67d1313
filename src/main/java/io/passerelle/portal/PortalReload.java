package io.passerelle.portal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.config.ConfigFileException;
import io.passerelle.config.YamlConfigFile;
import io.passerelle.portal.PortalRegistry.ServedPortal;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Reads the portal files into the {@link PortalRegistry}: at start, where any bad file stops the start, and
 * again while the node runs, where a bad file is refused alone (WARN and {@link AuditType#PORTAL_CONFIG_REFUSED},
 * with file, field and reason) and the portal keeps the version it was served with; the valid files apply.
 *
 * <p>A reload never deletes stored data: a portal whose file is gone is only dropped from memory (its requests
 * are refused as from an unknown client); its registration, authorizations and consents stay until an operator
 * runs {@code portals remove}. Added and changed portals are written to the registered-client table first (as
 * at start), so that stored authorizations resolve on every node; if that write fails, nothing is applied and
 * the next poll tries again.
 *
 * <p>{@link #poll()} compares only names, sizes and modification times (no file is read while nothing
 * changed); {@link #reload()} reads every file and parses those whose content changed (SHA-256 of the bytes
 * parsed, so a file rewritten between the listing and the read is never half-applied).
 */
public final class PortalReload {

    private static final Logger log = LoggerFactory.getLogger(PortalReload.class);

    /** What a reload changed, and the files it refused. */
    public record Outcome(List<String> added, List<String> changed, List<String> removed, List<ConfigFileException> refused) {

        public boolean applied() {
            return !added.isEmpty() || !changed.isEmpty() || !removed.isEmpty();
        }
    }

    private static final Outcome NOTHING = new Outcome(List.of(), List.of(), List.of(), List.of());

    private record Stamp(long size, FileTime modified) {
    }

    /** What one file contributes now: the content's hash and the portal built from it. */
    private record Applied(String sha256, ServedPortal portal) {
    }

    private final List<Path> folders;
    private final PortalConfigLoader loader = new PortalConfigLoader();
    private final UnaryOperator<String> placeholders;
    private final RegisteredClientFactory factory;
    private final RegisteredClientRepository table;
    private final AuditLog audit;
    private final PortalRegistry registry;
    /** More checks of each portal file a reload or the admin API applies (its allowed_keys, see AllowedKeys). */
    private volatile Consumer<PortalConfig> check = portal -> { };

    /** Guarded by this: the listing last seen, what each file contributes, refused contents already reported. */
    private Map<Path, Stamp> listing;
    private Map<Path, Applied> applied = Map.of();
    private final Map<Path, String> reportedRefusals = new HashMap<>();

    /**
     * Loads every file now: a bad file throws {@link ConfigFileException} naming it (the start fails), and every
     * portal is written to {@code table}.
     */
    public PortalReload(List<Path> folders, UnaryOperator<String> placeholders, RegisteredClientFactory factory,
                        RegisteredClientRepository table, AuditLog audit) {
        this.folders = List.copyOf(folders);
        this.placeholders = placeholders;
        this.factory = factory;
        this.table = table;
        this.audit = audit;
        Map<Path, Stamp> now = list();
        Map<Path, Applied> loaded = new LinkedHashMap<>();
        Map<String, Path> owners = new HashMap<>();
        for (Path file : now.keySet()) {
            byte[] content = read(file);
            Applied portal = build(file, content);
            claim(owners, portal.portal().config().clientId(), file);
            loaded.put(file, portal);
        }
        loaded.values().forEach(portal -> table.save(portal.portal().client()));
        this.registry = new PortalRegistry(loaded.values().stream().map(Applied::portal).toList());
        this.applied = loaded;
        this.listing = now;
        log.info("{} portals configured: {}", loaded.size(), registry.clientIds());
    }

    public PortalRegistry registry() {
        return registry;
    }

    /** Adds a check of every portal file read from now on; a {@link ConfigFileException} refuses the file. */
    public void checkEach(Consumer<PortalConfig> check) {
        this.check = check;
    }

    /** Reloads when a file was added, removed, resized or touched since the last look; else reads nothing. */
    public synchronized Outcome poll() {
        Map<Path, Stamp> now;
        try {
            now = list();
        } catch (ConfigFileException e) {
            refuse(e, Path.of(e.file()), "folder");
            return new Outcome(List.of(), List.of(), List.of(), List.of(e));
        }
        return now.equals(listing) ? NOTHING : reload(now, "system");
    }

    /** Reads every file now and applies what changed (what {@link #poll()} does when it sees a change). */
    public synchronized Outcome reload() {
        return reload("system");
    }

    private Outcome reload(String actor) {
        try {
            return reload(list(), actor);
        } catch (ConfigFileException e) {
            refuse(e, Path.of(e.file()), "folder");
            return new Outcome(List.of(), List.of(), List.of(), List.of(e));
        }
    }

    /**
     * The admin API's write of a portal file: refused as a whole (nothing written) when it does not load, else
     * written aside and moved over the portal's file in the first clients folder, and applied at once.
     */
    public synchronized Outcome write(String clientId, byte[] content, String actor) {
        Path folder = folders.getFirst();
        Path file = existing(folder, clientId).orElse(folder.resolve(checked(clientId) + ".yml"));
        // The same checks as a reload, before anything is written: a refused file never reaches the folder.
        try {
            PortalConfig config = loader.parse(file, content, placeholders);
            check.accept(config);
            factory.create(config);
        } catch (ConfigFileException e) {
            log.warn("portal file refused from {}, nothing written: {} (field: {}): {}", actor, e.file(),
                    e.field().isEmpty() ? "(whole file)" : e.field(), e.reason());
            record(AuditEvent.of(AuditType.PORTAL_CONFIG_REFUSED).actor(actor).client(clientId)
                    .reason(e.reason()).detail("file", e.file()).detail("field", e.field()));
            throw e;
        }
        try {
            Files.createDirectories(folder);
            Path aside = folder.resolve("." + clientId + ".yml.new");
            Files.write(aside, content);
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return reload(actor);
    }

    /**
     * The admin API's removal of a portal's file(s) from every clients folder of this node, applied at once;
     * its stored data stays (only {@code portals remove} deletes it). Empty when this node has no file for it.
     */
    public synchronized Optional<Outcome> delete(String clientId, String actor) {
        checked(clientId);
        boolean deleted = false;
        for (Path folder : folders) {
            Optional<Path> file = existing(folder, clientId);
            if (file.isPresent()) {
                try {
                    deleted |= Files.deleteIfExists(file.get());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + file.get(), e);
                }
            }
        }
        return deleted ? Optional.of(reload(actor)) : Optional.empty();
    }

    private static String checked(String clientId) {
        if (clientId == null || !PortalFiles.CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("not a client_id: the portal's client_id, e.g. city-portal");
        }
        return clientId;
    }

    /** The portal's file in a folder, whatever its extension's case (city.yml, city.YAML). */
    private static Optional<Path> existing(Path folder, String clientId) {
        checked(clientId);
        return PortalConfigLoader.listFiles(folder).stream().filter(file -> {
            String name = file.getFileName().toString();
            return name.substring(0, name.lastIndexOf('.')).equals(clientId);
        }).findFirst();
    }

    private Outcome reload(Map<Path, Stamp> now, String actor) {
        Map<Path, Applied> next = new LinkedHashMap<>();
        Map<String, Path> owners = new HashMap<>();
        List<ConfigFileException> refused = new ArrayList<>();
        Map<Path, String> refusedNow = new HashMap<>();
        for (Path file : now.keySet()) {
            Applied previous = applied.get(file);
            String sha = "unreadable";
            try {
                byte[] content = read(file);
                sha = sha256(content);
                Applied candidate = previous != null && previous.sha256().equals(sha) ? previous : build(file, content);
                claim(owners, candidate.portal().config().clientId(), file);
                next.put(file, candidate);
            } catch (RuntimeException e) {
                refused.add(e instanceof ConfigFileException c ? c
                        : new ConfigFileException(file.toString(), "", "cannot be applied: " + e, e));
                refusedNow.put(file, sha);
                // The portal keeps the version it was served with (none for a new file).
                if (previous != null && owners.putIfAbsent(previous.portal().config().clientId(), file) == null) {
                    next.put(file, previous);
                }
            }
        }
        Outcome outcome = compare(next, refused);
        if (outcome.applied()) {
            try {
                // Stored first: an authorization issued right after the swap must resolve its client on every node.
                next.values().stream().map(Applied::portal)
                        .filter(p -> outcome.added().contains(p.config().clientId()) || outcome.changed().contains(p.config().clientId()))
                        .forEach(p -> table.save(p.client()));
            } catch (RuntimeException e) {
                log.warn("portal files changed ({} added, {} changed, {} removed) but the registered-client table "
                        + "cannot be written ({}); nothing applied, retried at the next poll", outcome.added(),
                        outcome.changed(), outcome.removed(), e.toString());
                listing = null;
                return NOTHING;
            }
            registry.replace(next.values().stream().map(Applied::portal).toList());
            log.info("portals reloaded: added {}, changed {}, removed {} (stored data kept); now serving {}",
                    outcome.added(), outcome.changed(), outcome.removed(), registry.clientIds());
            record(AuditEvent.of(AuditType.PORTAL_RELOADED).actor(actor)
                    .detail("added", String.join(" ", outcome.added()))
                    .detail("changed", String.join(" ", outcome.changed()))
                    .detail("removed", String.join(" ", outcome.removed())));
        }
        for (int i = 0; i < refused.size(); i++) {
            ConfigFileException e = refused.get(i);
            Path file = Path.of(e.file());
            refuse(e, file, refusedNow.getOrDefault(file, "unreadable"));
        }
        reportedRefusals.keySet().retainAll(refusedNow.keySet());
        applied = next;
        listing = now;
        return outcome;
    }

    private Outcome compare(Map<Path, Applied> next, List<ConfigFileException> refused) {
        Map<String, ServedPortal> before = registry.served();
        Map<String, ServedPortal> after = new LinkedHashMap<>();
        next.values().forEach(a -> after.put(a.portal().config().clientId(), a.portal()));
        List<String> added = new TreeSet<>(after.keySet()).stream().filter(id -> !before.containsKey(id)).toList();
        List<String> removed = new TreeSet<>(before.keySet()).stream().filter(id -> !after.containsKey(id)).toList();
        List<String> changed = new TreeSet<>(after.keySet()).stream()
                .filter(id -> before.containsKey(id) && before.get(id) != after.get(id)).toList();
        return new Outcome(added, changed, removed, List.copyOf(refused));
    }

    /** Reported once per content: a bad file left in place is not logged and audited at every poll. */
    private void refuse(ConfigFileException e, Path file, String content) {
        if (Objects.equals(reportedRefusals.put(file, content), content)) {
            return;
        }
        log.warn("portal file refused, the running configuration of this portal stays: {} (field: {}): {}",
                e.file(), e.field().isEmpty() ? "(whole file)" : e.field(), e.reason());
        record(AuditEvent.of(AuditType.PORTAL_CONFIG_REFUSED).actor("system").client(intendedClientId(file))
                .reason(e.reason()).detail("file", e.file()).detail("field", e.field()));
    }

    private void record(AuditEvent.Builder event) {
        try {
            audit.record(event);
        } catch (RuntimeException e) {
            log.warn("audit event not recorded: {}", e.toString());
        }
    }

    /** The client_id a portal file is named after (the loader refuses any other), or null for a folder. */
    private static String intendedClientId(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        String base = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : "";
        return PortalFiles.CLIENT_ID.matcher(base).matches() ? base : null;
    }

    private Applied build(Path file, byte[] content) {
        PortalConfig config = loader.parse(file, content, placeholders);
        check.accept(config);
        return new Applied(sha256(content), new ServedPortal(config, factory.create(config)));
    }

    /** Two files for one client_id (city.yml and city.yaml, or the same name in two folders): the first wins. */
    private static void claim(Map<String, Path> owners, String clientId, Path file) {
        Path owner = owners.putIfAbsent(clientId, file);
        if (owner != null) {
            throw new ConfigFileException(file.toString(), "client_id",
                    "client_id " + clientId + " is already defined in " + owner);
        }
    }

    private Map<Path, Stamp> list() {
        Map<Path, Stamp> files = new LinkedHashMap<>();
        for (Path folder : folders) {
            for (Path file : PortalConfigLoader.listFiles(folder)) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    files.put(file, new Stamp(attributes.size(), attributes.lastModifiedTime()));
                } catch (IOException e) {
                    // Gone between the listing and this look: the next listing will not show it.
                    files.put(file, new Stamp(-1, FileTime.fromMillis(0)));
                }
            }
        }
        return files;
    }

    private static byte[] read(Path file) {
        try {
            if (Files.size(file) > YamlConfigFile.MAX_BYTES) {
                throw new ConfigFileException(file.toString(), "", "is larger than " + YamlConfigFile.MAX_BYTES / 1024 + " KiB");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), "", "cannot be read: " + e, e);
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

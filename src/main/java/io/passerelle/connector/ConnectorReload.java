package io.passerelle.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.config.ConfigFileException;
import io.passerelle.config.YamlConfigFile;

/**
 * Reads the connector files into the {@link ConnectorRegistry}: at start, where any bad file stops the start,
 * and again while the node runs, where a bad file is refused alone (WARN and
 * {@link AuditType#CONNECTOR_CONFIG_REFUSED}, with file, field and reason) and the connector keeps the version it
 * was served with; the valid files apply, in one swap ({@link AuditType#CONNECTOR_RELOADED}).
 *
 * <p>A file is accepted only once its connector is built completely, as at start (key files, certificates,
 * URLs). A removal (file deleted, or {@code enabled: false}) deletes nothing stored: citizens' links through
 * the connector stay. A removal that would leave a portal's {@code allowed_keys} naming the connector is
 * refused (the connector stays served) until no portal names it: the node never serves what a start refuses
 * (a portal naming a missing key), and the connector a portal relies on is not pulled from under it by one
 * file deployed before the other ({@link Users}); it is retried at every poll, so removing the key from the portal and
 * the connector's file in one change converges within two polls.
 *
 * <p>{@link #poll()} compares only names, sizes and modification times; {@link #reload()} reads every file and
 * builds those whose content changed (SHA-256 of the bytes parsed).
 */
public final class ConnectorReload {

    private static final Logger log = LoggerFactory.getLogger(ConnectorReload.class);

    /** What a reload changed, and the files (or removals) it refused. */
    public record Outcome(List<String> added, List<String> changed, List<String> removed,
                          List<ConfigFileException> refused) {

        public boolean applied() {
            return !added.isEmpty() || !changed.isEmpty() || !removed.isEmpty();
        }
    }

    /** What a deletion through the admin API did, or with a dry run would do. */
    public record Removal(String id, boolean dryRun, List<String> files, boolean served, List<String> namedBy,
                          @Nullable Outcome outcome) {
    }

    /**
     * Who still needs a connector the node would stop serving: the portals whose {@code allowed_keys} name it,
     * described for the operator (wired by the portal package, which this package must not see).
     */
    @FunctionalInterface
    public interface Users {
        List<String> of(String connectorId);
    }

    private static final Outcome NOTHING = new Outcome(List.of(), List.of(), List.of(), List.of());

    private record Stamp(long size, FileTime modified) {
    }

    /** What one file contributes now: its content's hash and its connector (none when disabled). */
    private record Applied(String sha256, @Nullable Connector connector) {
    }

    private final List<Path> folders;
    private final ConnectorFiles files;
    private final AuditLog audit;
    private final ConnectorRegistry registry;
    private volatile Users users = id -> List.of();
    private volatile Object applyLock = new Object();
    private volatile Runnable afterApplied = () -> { };

    /** Guarded by this: the listing last seen (null: look again), what each file contributes, refusals reported. */
    private @Nullable Map<Path, Stamp> listing;
    private Map<Path, Applied> applied = Map.of();
    private final Map<Path, String> reportedRefusals = new HashMap<>();

    /** Loads every file now: a bad file throws {@link ConfigFileException} naming it (the start fails). */
    public ConnectorReload(List<Path> folders, String issuer, Collection<ConnectorFactory> factories, AuditLog audit) {
        this.folders = List.copyOf(folders);
        this.files = new ConnectorFiles(issuer, factories);
        this.audit = audit;
        Map<Path, Stamp> now = list();
        Map<Path, Applied> loaded = new LinkedHashMap<>();
        Map<String, Path> owners = new HashMap<>();
        for (Path file : now.keySet()) {
            Applied connector = build(file, ConnectorFiles.read(file));
            claim(owners, connector, file);
            loaded.put(file, connector);
        }
        this.registry = new ConnectorRegistry(connectors(loaded), issuer);
        this.applied = loaded;
        this.listing = now;
        log.info("{} connectors configured: {}", registry.ids().size(), registry.ids());
    }

    public ConnectorRegistry registry() {
        return registry;
    }

    /**
     * Wires what this package cannot see: who uses a connector ({@code users}), the lock under which the
     * portals apply (so that a portal naming a connector and that connector's removal never apply at once), and
     * what to do after connectors changed (the portals look again at files refused for naming an unknown key).
     */
    public void coordinate(Users users, Object applyLock, Runnable afterApplied) {
        this.users = users;
        this.applyLock = applyLock;
        this.afterApplied = afterApplied;
    }

    /** Reloads when a file was added, removed, resized or touched since the last look; else reads nothing. */
    public synchronized Outcome poll() {
        Map<Path, Stamp> now = list();
        return now.equals(listing) ? NOTHING : reload(now, "system");
    }

    /** Reads every file now and applies what changed (what {@link #poll()} does when it sees a change). */
    public synchronized Outcome reload() {
        return reload(list(), "system");
    }

    /**
     * The admin API's write of a connector file: refused as a whole (nothing written) when it does not build,
     * else written aside and moved over the connector's file in the first connectors folder, and applied at once.
     */
    public synchronized Outcome write(String id, byte[] content, String actor) {
        Path folder = folders.getFirst();
        Path file = existing(folder, id).orElse(folder.resolve(checked(id) + ".yml"));
        Applied built;
        try {
            built = build(file, content);
        } catch (ConfigFileException e) {
            throw refusedFrom(actor, id, e);
        }
        // enabled: false is a removal: refused the same way while a portal names the connector.
        List<String> named = built.connector() == null && registry.find(id).isPresent() ? users.of(id) : List.of();
        if (!named.isEmpty()) {
            refusedFrom(actor, id, inUse(file, named));
            throw new ConnectorInUseException(id, named);
        }
        try {
            Files.createDirectories(folder);
            Path aside = folder.resolve("." + id + ".yml.new");
            Files.write(aside, content);
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return reload(list(), actor);
    }

    /**
     * The admin API's removal of a connector's file(s) from every connectors folder of this node, applied at
     * once; nothing stored is deleted. With {@code dryRun}, only says what would happen. Empty when this node has
     * no file for it; {@link ConnectorInUseException} (nothing deleted) while a portal's allowed_keys names it.
     */
    public synchronized Optional<Removal> delete(String id, String actor, boolean dryRun) {
        checked(id);
        List<Path> found = folders.stream().flatMap(folder -> existing(folder, id).stream()).toList();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        boolean served = registry.find(id).isPresent();
        List<String> named = served ? users.of(id) : List.of();
        List<String> names = found.stream().map(Path::toString).toList();
        if (dryRun) {
            return Optional.of(new Removal(id, true, names, served, named, null));
        }
        if (!named.isEmpty()) {
            refusedFrom(actor, id, inUse(found.getFirst(), named));
            throw new ConnectorInUseException(id, named);
        }
        for (Path file : found) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + file, e);
            }
        }
        return Optional.of(new Removal(id, false, names, served, named, reload(list(), actor)));
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
                byte[] content = ConnectorFiles.read(file);
                sha = ConnectorFiles.sha256(content);
                Applied candidate = previous != null && previous.sha256().equals(sha) ? previous : build(file, content);
                claim(owners, candidate, file);
                next.put(file, candidate);
            } catch (RuntimeException e) {
                refused.add(e instanceof ConfigFileException c ? c
                        : new ConfigFileException(file.toString(), "", "cannot be applied: " + e, e));
                refusedNow.put(file, sha);
                // The connector keeps the version it was served with (none for a new file).
                if (previous != null && previous.connector() != null
                        && owners.putIfAbsent(previous.connector().id(), file) == null) {
                    next.put(file, previous);
                }
            }
        }
        Outcome outcome;
        synchronized (applyLock) {
            keepConnectorsInUse(next, owners, refused, refusedNow);
            outcome = compare(next, refused);
            if (outcome.applied()) {
                registry.replace(connectors(next));
            }
        }
        if (outcome.applied()) {
            log.info("connectors reloaded: added {}, changed {}, removed {} (stored data kept); now serving {}",
                    outcome.added(), outcome.changed(), outcome.removed(), registry.ids());
            record(AuditEvent.of(AuditType.CONNECTOR_RELOADED).actor(actor)
                    .detail("added", String.join(" ", outcome.added()))
                    .detail("changed", String.join(" ", outcome.changed()))
                    .detail("removed", String.join(" ", outcome.removed())));
            warmUp(next, outcome);
        }
        for (ConfigFileException e : refused) {
            Path file = Path.of(e.file());
            refuse(e, file, refusedNow.getOrDefault(file, "unreadable"));
        }
        reportedRefusals.keySet().retainAll(refusedNow.keySet());
        applied = next;
        // A refused removal is looked at again at the next poll: the portal naming it may change meanwhile.
        listing = refused.stream().anyMatch(ConnectorReload::isRemoval) ? null : now;
        if (outcome.applied()) {
            try {
                afterApplied.run();
            } catch (RuntimeException e) {
                log.warn("after the connectors' reload, the portals could not be looked at again: {}", e.toString());
            }
        }
        return outcome;
    }

    /** A connector served now that {@code next} drops, while a portal still names it, stays (refused removal). */
    private void keepConnectorsInUse(Map<Path, Applied> next, Map<String, Path> owners,
                                     List<ConfigFileException> refused, Map<Path, String> refusedNow) {
        for (Map.Entry<Path, Applied> served : applied.entrySet()) {
            Connector connector = served.getValue().connector();
            if (connector == null || owners.containsKey(connector.id())
                    || registry.served().get(connector.id()) != connector) {
                continue;
            }
            List<String> named = users.of(connector.id());
            if (!named.isEmpty()) {
                ConfigFileException e = inUse(served.getKey(), named);
                refused.add(e);
                refusedNow.put(served.getKey(), "removal " + named);
                owners.put(connector.id(), served.getKey());
                next.put(served.getKey(), served.getValue());
            }
        }
    }

    private static ConfigFileException inUse(Path file, List<String> named) {
        return new ConfigFileException(file.toString(), "id", REMOVAL + String.join("; ", named)
                + "; remove it from their allowed_keys first (the connector stays served until then)");
    }

    private static final String REMOVAL = "cannot be removed or disabled: still named by ";

    private static boolean isRemoval(ConfigFileException e) {
        return e.reason().startsWith(REMOVAL);
    }

    private Outcome compare(Map<Path, Applied> next, List<ConfigFileException> refused) {
        Map<String, Connector> before = registry.served();
        Map<String, Connector> after = new LinkedHashMap<>();
        connectors(next).forEach(c -> after.put(c.id(), c));
        List<String> added = new TreeSet<>(after.keySet()).stream().filter(id -> !before.containsKey(id)).toList();
        List<String> removed = new TreeSet<>(before.keySet()).stream().filter(id -> !after.containsKey(id)).toList();
        List<String> changed = new TreeSet<>(after.keySet()).stream()
                .filter(id -> before.containsKey(id) && before.get(id) != after.get(id)).toList();
        return new Outcome(added, changed, removed, List.copyOf(refused));
    }

    /** As at start, off the caller's thread: a provider that is down delays nothing. */
    private static void warmUp(Map<Path, Applied> next, Outcome outcome) {
        connectors(next).stream().filter(c -> outcome.added().contains(c.id()) || outcome.changed().contains(c.id()))
                .forEach(c -> Thread.ofVirtual().name("warm-up-" + c.id()).start(() -> {
                    try {
                        c.warmUp();
                    } catch (RuntimeException e) {
                        log.warn("connector {} could not warm up: {}", c.id(), e.toString());
                    }
                }));
    }

    /** Reported once per content: a bad file left in place is not logged and audited at every poll. */
    private void refuse(ConfigFileException e, Path file, String content) {
        if (Objects.equals(reportedRefusals.put(file, content), content)) {
            return;
        }
        log.warn("connector file refused, the running configuration of this connector stays: {} (field: {}): {}",
                e.file(), e.field().isEmpty() ? "(whole file)" : e.field(), e.reason());
        record(refusedEvent(e, ConnectorFiles.idOf(file)).actor("system"));
    }

    /** A file or removal refused through the admin API: nothing is written or deleted. */
    private ConfigFileException refusedFrom(String actor, String id, ConfigFileException e) {
        log.warn("connector file refused from {}, nothing written or deleted: {} (field: {}): {}", actor, e.file(),
                e.field().isEmpty() ? "(whole file)" : e.field(), e.reason());
        record(refusedEvent(e, id).actor(actor));
        return e;
    }

    private static AuditEvent.Builder refusedEvent(ConfigFileException e, String id) {
        return AuditEvent.of(AuditType.CONNECTOR_CONFIG_REFUSED)
                .connector(id != null && ConnectorFiles.ID.matcher(id).matches() ? id : null)
                .reason(e.reason()).detail("file", e.file()).detail("field", e.field());
    }

    private void record(AuditEvent.Builder event) {
        try {
            audit.record(event);
        } catch (RuntimeException e) {
            log.warn("audit event not recorded: {}", e.toString());
        }
    }

    private Applied build(Path file, byte[] content) {
        return new Applied(ConnectorFiles.sha256(content), files.build(YamlConfigFile.parse(file.toString(), content), file).orElse(null));
    }

    private static List<Connector> connectors(Map<Path, Applied> files) {
        return files.values().stream().map(Applied::connector).filter(Objects::nonNull).toList();
    }

    /** Two files for one id (card.yml and card.yaml, or the same name in two folders): the first wins. */
    private static void claim(Map<String, Path> owners, Applied applied, Path file) {
        if (applied.connector() == null) {
            return;
        }
        String id = applied.connector().id();
        Path owner = owners.putIfAbsent(id, file);
        if (owner != null) {
            throw new ConfigFileException(file.toString(), "id", "connector '" + id + "' is configured twice (also in "
                    + owner + ")");
        }
    }

    private static String checked(String id) {
        if (id == null || !ConnectorFiles.ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a connector id: lower-case letters, digits, '.', '_' or '-', "
                    + "e.g. itsme (the file name in config/connectors)");
        }
        return id;
    }

    /** The connector's file in a folder, whatever its extension's case (card.yml, card.YAML). */
    private static Optional<Path> existing(Path folder, String id) {
        checked(id);
        return ConnectorFiles.list(folder).stream().filter(file -> ConnectorFiles.idOf(file).equals(id)).findFirst();
    }

    private Map<Path, Stamp> list() {
        Map<Path, Stamp> stamps = new LinkedHashMap<>();
        for (Path folder : folders) {
            for (Path file : ConnectorFiles.list(folder)) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    stamps.put(file, new Stamp(attributes.size(), attributes.lastModifiedTime()));
                } catch (IOException e) {
                    // Gone between the listing and this look: the next listing will not show it.
                    stamps.put(file, new Stamp(-1, FileTime.fromMillis(0)));
                }
            }
        }
        return stamps;
    }
}

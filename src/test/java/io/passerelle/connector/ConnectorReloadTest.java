package io.passerelle.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.config.ConfigFileException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connectors' reload without a Spring context: files added, changed and removed apply in one swap, a
 * request pinned before keeps its version, a removal is refused while a portal names the connector (and
 * retried), the admin API's write and delete, and the watcher thread. The table of bad files with the real
 * oidc and eid factories is {@link ConnectorFileRefusalsTest}.
 */
class ConnectorReloadTest {

    @TempDir
    Path folder;

    private final RecordingAuditLog audit = new RecordingAuditLog();

    @Test
    void connectorsComeChangeAndGoInOneSwap() throws Exception {
        write("card", "high", "Card");
        ConnectorReload reload = start();
        ConnectorRegistry registry = reload.registry();
        assertThat(registry.ids()).containsExactly("card");
        assertThat(reload.poll().applied()).as("nothing changed since start").isFalse();

        write("app", "substantial", "App");
        ConnectorReload.Outcome added = reload.poll();
        assertThat(added.added()).containsExactly("app");
        assertThat(added.changed()).isEmpty();
        assertThat(registry.meeting(Loa.SUBSTANTIAL)).extracting(Connector::id).containsExactly("app", "card");
        Connector card = registry.find("card").orElseThrow();
        assertThat(reload.poll().applied()).as("a second look at unchanged files applies nothing").isFalse();

        try (io.passerelle.config.Pinned.Pin pin = registry.pin()) {
            // A request in progress keeps the connectors it started with, whatever a reload does meanwhile.
            write("app", "high", "App 2");
            assertThat(reload.poll().changed()).containsExactly("app");
            assertThat(registry.find("app").orElseThrow().maxLoa()).isEqualTo(Loa.SUBSTANTIAL);
        }
        assertThat(registry.find("app").orElseThrow().maxLoa()).isEqualTo(Loa.HIGH);
        assertThat(registry.find("app").orElseThrow().displayName()).containsEntry("en", "App 2");
        assertThat(registry.find("card")).as("an unchanged file keeps its connector").containsSame(card);

        Files.delete(folder.resolve("app.yml"));
        assertThat(reload.poll().removed()).containsExactly("app");
        assertThat(registry.find("app")).isEmpty();
        Files.writeString(folder.resolve("card.yml"), fake("card", "high", "Card") + "enabled: false\n");
        assertThat(reload.poll().removed()).as("enabled: false is a removal").containsExactly("card");
        assertThat(registry.all()).isEmpty();

        assertThat(audit.of(AuditType.CONNECTOR_RELOADED)).extracting(e -> e.details().get("added"))
                .containsExactly("app", "", "", "");
        assertThat(audit.of(AuditType.CONNECTOR_RELOADED)).extracting(e -> e.details().get("changed"))
                .containsExactly("", "app", "", "");
        assertThat(audit.of(AuditType.CONNECTOR_RELOADED)).extracting(e -> e.details().get("removed"))
                .containsExactly("", "", "app", "card");
        assertThat(audit.of(AuditType.CONNECTOR_RELOADED)).extracting(AuditEvent::actor).containsOnly("system");
    }

    @Test
    void aBadFileIsRefusedOnceAndTheOthersApply() throws Exception {
        write("card", "high", "Card");
        ConnectorReload reload = start();
        Connector card = reload.registry().find("card").orElseThrow();

        Files.writeString(folder.resolve("card.yml"), fake("card", "extreme", "Card"));
        write("app", "substantial", "App");
        ConnectorReload.Outcome outcome = reload.poll();
        assertThat(outcome.added()).containsExactly("app");
        assertThat(outcome.refused()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo(folder.resolve("card.yml").toString());
            assertThat(e.field()).isEqualTo("loa");
        });
        assertThat(reload.registry().find("card")).as("the running version stays").containsSame(card);
        assertThat(reload.reload().refused()).hasSize(1);
        assertThat(audit.of(AuditType.CONNECTOR_CONFIG_REFUSED)).as("reported once per content").singleElement()
                .satisfies(e -> {
                    assertThat(e.connectorId()).isEqualTo("card");
                    assertThat(e.details()).containsEntry("field", "loa")
                            .containsEntry("file", folder.resolve("card.yml").toString());
                    assertThat(e.reason()).contains("must be one of");
                });

        // The same id twice (card.yaml and card.yml): as at start, the first in name order serves, the other is refused.
        Files.writeString(folder.resolve("card.yml"), fake("card", "high", "Card"));
        Files.writeString(folder.resolve("card.yaml"), fake("card", "low", "Card"));
        ConnectorReload.Outcome twice = reload.poll();
        assertThat(twice.refused()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo(folder.resolve("card.yml").toString());
            assertThat(e.reason()).contains("configured twice (also in " + folder.resolve("card.yaml"));
        });
        assertThat(reload.registry().find("card").orElseThrow().maxLoa()).isEqualTo(Loa.LOW);
    }

    @Test
    void aRemovalIsRefusedWhileAPortalNamesTheConnectorAndRetried() throws Exception {
        write("card", "high", "Card");
        ConnectorReload reload = start();
        AtomicReference<List<String>> naming = new AtomicReference<>(List.of("portal city (city.yml, allowed_keys[0])"));
        AtomicInteger portalReloads = new AtomicInteger();
        reload.coordinate(id -> id.equals("card") ? naming.get() : List.of(), new Object(), portalReloads::incrementAndGet);

        Files.delete(folder.resolve("card.yml"));
        ConnectorReload.Outcome refused = reload.poll();
        assertThat(refused.applied()).isFalse();
        assertThat(refused.refused()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("id");
            assertThat(e.reason()).contains("still named by portal city (city.yml, allowed_keys[0])");
        });
        assertThat(reload.registry().find("card")).as("still served").isPresent();
        assertThat(reload.poll().refused()).as("looked at again at every poll").hasSize(1);
        assertThat(audit.of(AuditType.CONNECTOR_CONFIG_REFUSED)).as("reported once").hasSize(1);
        assertThat(portalReloads).hasValue(0);

        naming.set(List.of());
        assertThat(reload.poll().removed()).as("applied once no portal names it").containsExactly("card");
        assertThat(reload.registry().find("card")).isEmpty();
        assertThat(portalReloads).as("the portals look again after a change").hasValue(1);
    }

    @Test
    void theAdminApiWritesAndDeletesAFile() throws Exception {
        ConnectorReload reload = start();
        AtomicReference<List<String>> naming = new AtomicReference<>(List.of());
        reload.coordinate(id -> naming.get(), new Object(), () -> { });
        Path file = folder.resolve("app.yml");

        assertThatThrownBy(() -> reload.write("app", fake("other", "high", "App").getBytes(), "admin:ops"))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> assertThat(e.field()).isEqualTo("id"));
        assertThat(file).doesNotExist();
        assertThat(audit.of(AuditType.CONNECTOR_CONFIG_REFUSED)).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo("admin:ops"));
        assertThatThrownBy(() -> reload.write("../etc", new byte[0], "admin:ops"))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(reload.write("app", fake("app", "high", "App").getBytes(), "admin:ops").added()).containsExactly("app");
        assertThat(file).exists();
        assertThat(reload.registry().find("app")).isPresent();

        naming.set(List.of("portal city (city.yml, allowed_keys[0])"));
        ConnectorReload.Removal dry = reload.delete("app", "admin:ops", true).orElseThrow();
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.served()).isTrue();
        assertThat(dry.namedBy()).containsExactly("portal city (city.yml, allowed_keys[0])");
        assertThat(dry.files()).containsExactly(file.toString());
        assertThat(file).as("a dry run deletes nothing").exists();
        assertThatThrownBy(() -> reload.delete("app", "admin:ops", false))
                .isInstanceOfSatisfying(ConnectorInUseException.class,
                        e -> assertThat(e.users()).containsExactly("portal city (city.yml, allowed_keys[0])"));
        assertThatThrownBy(() -> reload.write("app", (fake("app", "high", "App") + "enabled: false\n").getBytes(), "admin:ops"))
                .as("enabled: false is a removal").isInstanceOf(ConnectorInUseException.class);
        assertThat(file).exists();
        assertThat(reload.registry().find("app")).isPresent();

        naming.set(List.of());
        ConnectorReload.Removal removal = reload.delete("app", "admin:ops", false).orElseThrow();
        assertThat(removal.outcome().removed()).containsExactly("app");
        assertThat(file).doesNotExist();
        assertThat(reload.delete("app", "admin:ops", false)).as("no file any more").isEmpty();
        assertThat(audit.of(AuditType.CONNECTOR_RELOADED)).extracting(AuditEvent::actor)
                .containsExactly("admin:ops", "admin:ops");
    }

    @Test
    void theWatcherPicksUpAFile() throws Exception {
        ConnectorReload reload = start();
        var watcher = new io.passerelle.config.ConfigFileWatcher("connector", "passerelle.connectors.reload-interval",
                reload::poll, Duration.ofMillis(50));
        watcher.start();
        try {
            // Written aside and moved in, as operators should: the watcher never sees half a file.
            Path aside = folder.resolve(".app.yml.tmp");
            Files.writeString(aside, fake("app", "high", "App"));
            Files.move(aside, folder.resolve("app.yml"), StandardCopyOption.ATOMIC_MOVE);
            Instant deadline = Instant.now().plusSeconds(10);
            while (reload.registry().find("app").isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(10);
            }
            assertThat(reload.registry().find("app")).as("served within the deadline").isPresent();
        } finally {
            watcher.stop();
        }
        assertThat(watcher.isRunning()).isFalse();
    }

    private ConnectorReload start() {
        return new ConnectorReload(List.of(folder), "https://gw.example", List.of(FakeFactory.INSTANCE), audit);
    }

    private void write(String id, String loa, String name) throws Exception {
        Files.writeString(folder.resolve(id + ".yml"), fake(id, loa, name));
    }

    static String fake(String id, String loa, String name) {
        return "id: " + id + "\ntype: fake\nloa: " + loa + "\ndisplay_name: {en: " + name + ", fr: " + name + ", nl: "
                + name + ", de: " + name + "}\n";
    }

    /** Connector type {@code fake}: only the common fields; never signs anybody in. */
    static final class FakeFactory implements ConnectorFactory {
        static final FakeFactory INSTANCE = new FakeFactory();

        @Override
        public String type() {
            return "fake";
        }

        @Override
        public Connector create(ConnectorSettings common, io.passerelle.config.YamlConfigFile file) {
            file.rejectUnknownFields(ConnectorRegistry.COMMON_FIELDS);
            return new FakeConnector(common);
        }
    }

    private record FakeConnector(ConnectorSettings s) implements Connector {
        public String id() { return s.id(); }
        public String type() { return "fake"; }
        public java.util.Map<String, String> displayName() { return s.displayName(); }
        public String logo() { return s.logo(); }
        public Loa maxLoa() { return s.loa(); }
        public java.net.URI start(LoginContext login) { throw new UnsupportedOperationException("fake"); }
        public UpstreamIdentity finish(LoginContext login, Callback callback) { throw new UnsupportedOperationException("fake"); }
    }

    /** The events recorded, in order. */
    static final class RecordingAuditLog implements AuditLog {
        final List<AuditEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public AuditEvent record(AuditEvent.Builder event) {
            AuditEvent recorded = event.at(Instant.now());
            events.add(recorded);
            return recorded;
        }

        @Override
        public List<AuditEvent> since(Instant from, int limit) {
            return events.stream().filter(e -> !e.occurredAt().isBefore(from)).limit(limit).toList();
        }

        @Override
        public List<AuditEvent> byReference(String reference) {
            return events.stream().filter(e -> reference.equals(e.reference())).toList();
        }

        List<AuditEvent> of(AuditType type) {
            return new ArrayList<>(events.stream().filter(e -> e.type() == type).toList());
        }
    }
}

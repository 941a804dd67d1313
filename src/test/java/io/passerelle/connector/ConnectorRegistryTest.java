package io.passerelle.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.passerelle.config.ConfigFileException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The common part of config/connectors/*.yml: each bad file stops the start naming the field. */
class ConnectorRegistryTest {

    @TempDir
    Path dir;

    private final ConnectorFactory factory = new ConnectorFactory() {
        @Override
        public String type() {
            return "fake";
        }

        @Override
        public Connector create(ConnectorSettings common, io.passerelle.config.YamlConfigFile file) {
            file.rejectUnknownFields(ConnectorRegistry.COMMON_FIELDS);
            return new FakeConnector(common);
        }
    };

    @Test
    void loadsValidFilesAndFiltersByLevel() throws Exception {
        write("card.yml", "id: card\ntype: fake\nloa: high\ndisplay_name: {en: Card, fr: Carte, nl: Kaart, de: Karte}\n");
        write("app.yml", "id: app\ntype: fake\nloa: substantial\nlogo: /img/app.svg\n"
                + "display_name: {en: App, fr: App, nl: App, de: App}\n");
        write("off.yml", "id: off\ntype: fake\nenabled: false\nloa: low\ndisplay_name: {en: x, fr: x, nl: x, de: x}\n");
        ConnectorRegistry registry = ConnectorRegistry.load(dir, "https://gw.example", List.of(factory));
        assertThat(registry.all()).extracting(Connector::id).containsExactly("app", "card");
        assertThat(registry.meeting(Loa.HIGH)).extracting(Connector::id).containsExactly("card");
        assertThat(registry.callbackUri("card").toString()).isEqualTo("https://gw.example/broker/callback/card");
    }

    @Test
    void missingFolderMeansNoConnector() {
        assertThat(ConnectorRegistry.load(dir.resolve("none"), "https://gw", List.of(factory)).all()).isEmpty();
    }

    @Test
    void badFilesNameTheirField() throws Exception {
        assertRefused("aa.yml", "id: bb\ntype: fake\nloa: high\ndisplay_name: {en: a, fr: a, nl: a, de: a}\n", "id",
                "file name");
        assertRefused("aa.yml", "id: aa\ntype: saml\nloa: high\ndisplay_name: {en: a, fr: a, nl: a, de: a}\n", "type", "");
        assertRefused("aa.yml", "id: aa\ntype: fake\nloa: extreme\ndisplay_name: {en: a, fr: a, nl: a, de: a}\n", "loa", "");
        assertRefused("aa.yml", "id: aa\ntype: fake\nloa: high\ndisplay_name: {en: a, fr: a}\n", "display_name.nl", "");
        assertRefused("aa.yml", "id: aa\ntype: fake\nloa: high\nlogo: https://evil.example/x.png\n"
                + "display_name: {en: a, fr: a, nl: a, de: a}\n", "logo", "served by Passerelle");
        assertRefused("aa.yml", "id: aa\ntype: fake\nloa: high\ncolour: red\ndisplay_name: {en: a, fr: a, nl: a, de: a}\n",
                "colour", "");
    }

    private void assertRefused(String name, String yaml, String field, String reason) throws Exception {
        Path sub = Files.createTempDirectory(dir, "case");
        Files.writeString(sub.resolve(name), yaml);
        assertThatThrownBy(() -> ConnectorRegistry.load(sub, "https://gw", List.of(factory)))
                .isInstanceOf(ConfigFileException.class)
                .satisfies(e -> {
                    assertThat(((ConfigFileException) e).field()).isEqualTo(field);
                    assertThat(((ConfigFileException) e).reason()).contains(reason);
                    assertThat(((ConfigFileException) e).file()).endsWith(name);
                });
    }

    private void write(String name, String yaml) throws Exception {
        Files.writeString(dir.resolve(name), yaml);
    }

    private record FakeConnector(ConnectorSettings s) implements Connector {
        public String id() { return s.id(); }
        public String type() { return "fake"; }
        public java.util.Map<String, String> displayName() { return s.displayName(); }
        public String logo() { return s.logo(); }
        public Loa maxLoa() { return s.loa(); }
        public java.net.URI start(LoginContext login) { throw new UnsupportedOperationException(); }
        public UpstreamIdentity finish(LoginContext login, Callback callback) { throw new UnsupportedOperationException(); }
    }
}

package io.passerelle.connector.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import io.passerelle.config.ConfigFileException;
import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.connector.Loa;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * The annotated LoA-policy examples of config/examples/connectors (itsme-grade provider, FAS, MyGov.be through
 * FAS) load through the real factory as shipped, and their policy says what the comments say.
 */
class ExampleConnectorFilesTest {

    private final OidcConnectorFactory factory = new OidcConnectorFactory(TestOidcKeys.INSTANCE, Clock.systemUTC(),
            new MockEnvironment().withProperty("FAS_CLIENT_SECRET", "an-example-secret-of-at-least-32-characters"),
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry());

    private ConnectorRegistry load(Path folder, String... files) throws Exception {
        for (String file : files) {
            Files.copy(Path.of("config/examples/connectors").resolve(file), folder.resolve(file));
        }
        return ConnectorRegistry.load(folder, "https://passerelle.example", List.of(factory));
    }

    @Test
    void theExamplesLoadAndMapTheUpstreamLevels(@TempDir Path folder) throws Exception {
        ConnectorRegistry registry = load(folder, "itsme.yml", "fas.yml", "mygov-be.yml");
        assertThat(registry.all()).extracting(c -> c.id()).containsExactly("fas", "itsme", "mygov-be");
        OidcConnectorConfig fas = ((OidcConnector) registry.find("fas").orElseThrow()).config();
        assertThat(fas.acrMapping()).containsEntry("urn:be:fedict:iam:fas:Level450", Loa.HIGH)
                .containsEntry("urn:be:fedict:iam:fas:citizen:Level400", Loa.SUBSTANTIAL);
        OidcConnectorConfig itsme = ((OidcConnector) registry.find("itsme").orElseThrow()).config();
        assertThat(itsme.acrMapping()).containsEntry("http://itsme.services/v2/claim/acr_advanced", Loa.HIGH);
        assertThat(registry.find("mygov-be").orElseThrow().maxLoa()).isEqualTo(Loa.SUBSTANTIAL);
    }

    @Test
    void aLevelAboveTheConnectorsIsRefusedNamingFileAndField(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("mygov-be.yml"), Files.readString(Path.of("config/examples/connectors/mygov-be.yml"))
                .replace("request_acr:\n  substantial:", "request_acr:\n  high:"));
        assertThatThrownBy(() -> ConnectorRegistry.load(folder, "https://passerelle.example", List.of(factory)))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.file()).endsWith("mygov-be.yml");
                    assertThat(e.field()).isEqualTo("request_acr.high");
                });
    }
}

package io.passerelle.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.passerelle.config.ConfigFileException;
import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.portal.PortalConfigLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A portal's allowed_keys must name configured keys: a typo stops the start, naming the portal file and the field. */
class AllowedKeysTest {

    @Test
    void aKeyThatIsNotConfiguredStopsTheStart(@TempDir Path clients) throws Exception {
        Files.writeString(clients.resolve("city-portal.yml"), """
                client_id: city-portal
                client_name: {en: City, fr: Ville, nl: Stad, de: Stadt}
                redirect_uris: [https://city.example/cb]
                token_endpoint_auth_method: none
                scope: [openid]
                purpose: {en: Test, fr: Test, nl: Test, de: Test}
                allowed_keys: [eid, itsme]
                """);
        var portals = new PortalConfigLoader().load(clients, value -> value);
        assertThat(portals.getFirst().acceptsKey("eid")).isTrue();
        assertThat(portals.getFirst().acceptsKey("demo-mobile-id")).isFalse();
        assertThatThrownBy(() -> KeyChoice.checkAllowedKeys(portals, new ConnectorRegistry(List.of(), "https://gw")))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.file()).endsWith("city-portal.yml");
                    assertThat(e.field()).isEqualTo("allowed_keys[0]");
                    assertThat(e.reason()).contains("names no configured key 'eid'");
                });
    }
}

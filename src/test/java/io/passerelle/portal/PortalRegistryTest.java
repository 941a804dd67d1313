package io.passerelle.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.passerelle.portal.PortalRegistry.ServedPortal;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.NoOpPasswordEncoder;

/** A reload swaps the whole set of portals; a request in progress keeps the set it started with. */
class PortalRegistryTest {

    @Test
    void aPinnedRequestKeepsItsPortalsWhileAReloadSwapsThem() {
        PortalRegistry registry = new PortalRegistry(List.of(portal("https://a.example/cb")));
        try (io.passerelle.config.Pinned.Pin request = registry.pin()) {
            registry.replace(List.of(portal("https://b.example/cb")));
            try (io.passerelle.config.Pinned.Pin nested = registry.pin()) {
                assertThat(registry.findByClientId("app").getRedirectUris()).containsExactly("https://a.example/cb");
                assertThat(registry.findById("app").getRedirectUris()).containsExactly("https://a.example/cb");
            }
            assertThat(registry.portal("app").orElseThrow().redirectUris()).extracting(Object::toString)
                    .containsExactly("https://a.example/cb");
        }
        assertThat(registry.findByClientId("app").getRedirectUris()).containsExactly("https://b.example/cb");
        assertThat(registry.portal("app").orElseThrow().redirectUris()).extracting(Object::toString)
                .containsExactly("https://b.example/cb");

        registry.replace(List.of());
        assertThat(registry.findByClientId("app")).isNull();
        assertThat(registry.findById("app")).isNull();
        assertThat(registry.portal("app")).isEmpty();
        assertThat(registry.portals()).isEmpty();
    }

    private static ServedPortal portal(String redirectUri) {
        PortalConfig config = new PortalConfigLoader().parse(Path.of("app.yml"), """
                client_id: app
                client_name: {en: App, fr: App, nl: App, de: App}
                redirect_uris: [%s]
                token_endpoint_auth_method: none
                scope: [openid]
                purpose: {en: App, fr: App, nl: App, de: App}
                """.formatted(redirectUri).getBytes(StandardCharsets.UTF_8), value -> value);
        Duration minute = Duration.ofMinutes(1);
        @SuppressWarnings("deprecation")
        RegisteredClientFactory factory = new RegisteredClientFactory(NoOpPasswordEncoder.getInstance(),
                new TokenLifetimes(minute, minute, minute, minute));
        return new ServedPortal(config, factory.create(config));
    }
}

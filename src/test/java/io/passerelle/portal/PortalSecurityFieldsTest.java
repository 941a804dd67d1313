package io.passerelle.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import io.passerelle.config.ConfigFileException;
import io.passerelle.portal.PortalConfig.AuthMethod;

/**
 * Portal-file fields of issue 11: {@code client_secret_post}, {@code pkce} and {@code introspection_clients},
 * read by the loader and carried into the registered client.
 */
class PortalSecurityFieldsTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final TokenLifetimes LIFETIMES = new TokenLifetimes(java.time.Duration.ofMinutes(1),
            java.time.Duration.ofMinutes(5), java.time.Duration.ofMinutes(5), java.time.Duration.ofHours(8));

    @TempDir
    Path clientsDir;

    private final PortalConfigLoader loader = new PortalConfigLoader();
    private final UnaryOperator<String> resolver = new MockEnvironment()
            .withProperty("CITY_PORTAL_SECRET", SECRET)::resolveRequiredPlaceholders;
    private final RegisteredClientFactory factory = new RegisteredClientFactory(new BCryptPasswordEncoder(4), LIFETIMES);

    private static String portal(String authentication, String extra) {
        return """
                client_id: city-portal
                client_name: {en: City, fr: Ville, nl: Stad, de: Stadt}
                redirect_uris: [https://portal.example/callback]
                %s
                scope: [openid]
                purpose: {en: Forms, fr: Formulaires, nl: Formulieren, de: Formulare}
                %s
                """.formatted(authentication, extra);
    }

    private static final String KEY_JWT = "token_endpoint_auth_method: private_key_jwt\njwks_uri: https://portal.example/jwks.json";
    private static final String POST = "token_endpoint_auth_method: client_secret_post\nclient_secret: ${CITY_PORTAL_SECRET}";
    private static final String BASIC = "token_endpoint_auth_method: client_secret_basic\nclient_secret: ${CITY_PORTAL_SECRET}";
    private static final String PUBLIC = "token_endpoint_auth_method: none";

    private PortalConfig load(String yaml) throws IOException {
        Files.writeString(clientsDir.resolve("city-portal.yml"), yaml);
        List<PortalConfig> portals = loader.load(clientsDir, resolver);
        assertThat(portals).hasSize(1);
        return portals.get(0);
    }

    private void assertInvalid(String yaml, String field, String reason) throws IOException {
        Files.writeString(clientsDir.resolve("city-portal.yml"), yaml);
        assertThatThrownBy(() -> loader.load(clientsDir, resolver)).isInstanceOfSatisfying(ConfigFileException.class, e -> {
            assertThat(e.file()).isEqualTo(clientsDir.resolve("city-portal.yml").toString());
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.reason()).isEqualTo(reason);
        });
    }

    // ---- client_secret_post ----

    @Test
    void clientSecretPostIsASecretPortalWithRefreshTokens() throws IOException {
        PortalConfig portal = load(portal(POST, ""));
        assertThat(portal.authMethod()).isEqualTo(AuthMethod.CLIENT_SECRET_POST);
        assertThat(portal.clientSecret()).isEqualTo(SECRET);

        RegisteredClient client = factory.create(portal);
        assertThat(client.getClientAuthenticationMethods()).containsExactly(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        assertThat(client.getAuthorizationGrantTypes()).containsExactlyInAnyOrder(
                AuthorizationGrantType.AUTHORIZATION_CODE, AuthorizationGrantType.REFRESH_TOKEN);
        assertThat(new BCryptPasswordEncoder().matches(SECRET, client.getClientSecret())).isTrue();
    }

    @Test
    void clientSecretPostFollowsTheSecretRules() throws IOException {
        assertInvalid(portal("token_endpoint_auth_method: client_secret_post", ""), "client_secret",
                "is required for client_secret_post; reference it from the environment, e.g. ${CITY_PORTAL_SECRET}");
        assertInvalid(portal("token_endpoint_auth_method: client_secret_post\nclient_secret: plain-text-secret-0123456789abcdef",
                ""), "client_secret", "secrets must be referenced from the environment, e.g. ${CITY_PORTAL_SECRET}");
        assertInvalid(portal(KEY_JWT + "\nclient_secret: ${CITY_PORTAL_SECRET}", ""), "client_secret",
                "is only used with token_endpoint_auth_method: client_secret_basic or client_secret_post");
        assertInvalid(portal(POST + "\njwks_uri: https://portal.example/jwks.json", ""), "jwks_uri",
                "is only used with token_endpoint_auth_method: private_key_jwt");
    }

    // ---- pkce ----

    @Test
    void pkceIsRequiredByDefault() throws IOException {
        RegisteredClient client = factory.create(load(portal(KEY_JWT, "")));
        assertThat(client.getClientSettings().isRequireProofKey()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {KEY_JWT, BASIC, POST})
    void aConfidentialPortalMayMakePkceOptional(String authentication) throws IOException {
        // The authorization endpoint then demands a nonce instead (authorize.NonceWithoutProofKeyStep).
        PortalConfig portal = load(portal(authentication, "pkce: optional"));
        assertThat(portal.pkceRequired()).isFalse();
        RegisteredClient client = factory.create(portal);
        assertThat(client.getClientSettings().isRequireProofKey()).isFalse();
    }

    @Test
    void pkceRequiredSpelledOutIsTheDefault() throws IOException {
        assertThat(load(portal(PUBLIC, "pkce: required")).pkceRequired()).isTrue();
    }

    @Test
    void aPublicPortalCannotMakePkceOptional() throws IOException {
        assertInvalid(portal(PUBLIC, "pkce: optional"), "pkce", "optional is only allowed for a confidential portal"
                + " (private_key_jwt, client_secret_basic or client_secret_post): a public client"
                + " (token_endpoint_auth_method: none) has no other defence against code injection");
    }

    @Test
    void pkceHasTwoValues() throws IOException {
        assertInvalid(portal(KEY_JWT, "pkce: off"), "pkce", "must be one of required, optional (found 'off')");
    }

    // ---- introspection_clients ----

    @Test
    void introspectionClientsAreReadInOrder() throws IOException {
        PortalConfig portal = load(portal(KEY_JWT, "introspection_clients: [api.city, tax-portal]"));
        assertThat(portal.introspectionClients()).containsExactly("api.city", "tax-portal");
        assertThat(load(portal(KEY_JWT, "")).introspectionClients()).isEmpty();
    }

    @Test
    void introspectionClientsMustBeClientIds() throws IOException {
        assertInvalid(portal(KEY_JWT, "introspection_clients: [tax-portal, Tax Portal]"), "introspection_clients[1]",
                "must be 2 to 64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit (found 'Tax Portal')");
        assertInvalid(portal(KEY_JWT, "introspection_clients: [tax-portal, tax-portal]"), "introspection_clients[1]",
                "duplicates introspection_clients[0]");
        assertInvalid(portal(KEY_JWT, "introspection_clients: [city-portal]"), "introspection_clients[0]",
                "a portal may always introspect its own tokens; remove city-portal");
    }
}

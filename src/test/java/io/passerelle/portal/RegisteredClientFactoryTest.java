package io.passerelle.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

import io.passerelle.config.ConfigFileException;
import io.passerelle.connector.Loa;
import io.passerelle.portal.PortalConfig.AuthMethod;
import io.passerelle.portal.PortalConfig.ScopePolicy;
import io.passerelle.portal.PortalConfig.SubjectType;

class RegisteredClientFactoryTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final Map<String, String> NAMES =
            Map.of("en", "City of Example", "fr", "Ville d'Exemple", "nl", "Stad Voorbeeld", "de", "Stadt Beispiel");
    private static final TokenLifetimes LIFETIMES = new TokenLifetimes(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofHours(8));

    private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(4);
    private final RegisteredClientFactory factory = new RegisteredClientFactory(encoder, LIFETIMES);

    private static PortalConfig portal(AuthMethod method, String signingAlg, URI jwksUri, JWKSet jwks, String secret) {
        return new PortalConfig("city-portal", NAMES, List.of(URI.create("https://portal.example/callback")),
                List.of(URI.create("https://portal.example/")), method, signingAlg, jwksUri, jwks, secret,
                List.of("openid", "profile"), NAMES, null, "city-of-example", SubjectType.PAIRWISE, Loa.HIGH, "PS256",
                false, ScopePolicy.TRIM, Map.of(), null, true, List.of(), null, null, "config/clients/city-portal.yml");
    }

    @Test
    void privateKeyJwtWithJwksUri() {
        RegisteredClient client = factory.create(portal(AuthMethod.PRIVATE_KEY_JWT, "ES256",
                URI.create("https://portal.example/jwks.json"), null, null));

        assertThat(client.getId()).isEqualTo("city-portal");
        assertThat(client.getClientId()).isEqualTo("city-portal");
        assertThat(client.getClientName()).isEqualTo("City of Example");
        assertThat(client.getClientSecret()).isNull();
        assertThat(client.getClientAuthenticationMethods()).containsExactly(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        assertThat(client.getAuthorizationGrantTypes()).containsExactlyInAnyOrder(
                AuthorizationGrantType.AUTHORIZATION_CODE, AuthorizationGrantType.REFRESH_TOKEN);
        assertThat(client.getRedirectUris()).containsExactly("https://portal.example/callback");
        assertThat(client.getPostLogoutRedirectUris()).containsExactly("https://portal.example/");
        assertThat(client.getScopes()).containsExactlyInAnyOrder("openid", "profile");

        ClientSettings settings = client.getClientSettings();
        assertThat(settings.isRequireProofKey()).isTrue();
        assertThat(settings.isRequireAuthorizationConsent()).isFalse();
        assertThat(settings.getJwkSetUrl()).isEqualTo("https://portal.example/jwks.json");
        assertThat(settings.getTokenEndpointAuthenticationSigningAlgorithm()).isEqualTo(SignatureAlgorithm.ES256);
        assertThat(settings.<String>getSetting(RegisteredClientFactory.SETTING_JWKS)).isNull();
        assertThat(settings.getSettings()).containsEntry("passerelle.sector", "city-of-example")
                .containsEntry("passerelle.subject-type", "pairwise")
                .containsEntry("passerelle.minimum-loa", "high")
                .containsEntry("passerelle.scope-policy", "trim")
                .containsEntry("passerelle.consent-exempt", "false");

        TokenSettings tokens = client.getTokenSettings();
        assertThat(tokens.getAuthorizationCodeTimeToLive()).isEqualTo(Duration.ofMinutes(1));
        assertThat(tokens.getAccessTokenTimeToLive()).isEqualTo(Duration.ofMinutes(5));
        assertThat(tokens.getRefreshTokenTimeToLive()).isEqualTo(Duration.ofHours(8));
        assertThat(tokens.isReuseRefreshTokens()).isFalse();
        assertThat(tokens.getIdTokenSignatureAlgorithm()).isEqualTo(SignatureAlgorithm.PS256);
        assertThat(tokens.getAccessTokenFormat()).isEqualTo(OAuth2TokenFormat.SELF_CONTAINED);
        assertThat(tokens.<Duration>getSetting(RegisteredClientFactory.SETTING_ID_TOKEN_TIME_TO_LIVE))
                .isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void inlineJwksIsStoredAsPublicJson() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        RegisteredClient client = factory.create(portal(AuthMethod.PRIVATE_KEY_JWT, "RS256", null,
                new JWKSet(key.toPublicJWK()), null));

        ClientSettings settings = client.getClientSettings();
        assertThat(settings.getJwkSetUrl()).isNull();
        assertThat(settings.getTokenEndpointAuthenticationSigningAlgorithm()).isEqualTo(SignatureAlgorithm.RS256);
        String json = settings.getSetting(RegisteredClientFactory.SETTING_JWKS);
        assertThat(parse(json).getKeys()).singleElement()
                .satisfies(jwk -> assertThat(jwk.getKeyID()).isEqualTo("k1"))
                .satisfies(jwk -> assertThat(jwk.isPrivate()).isFalse());
    }

    @Test
    void clientSecretBasicStoresTheEncodedSecret() {
        RegisteredClient client = factory.create(portal(AuthMethod.CLIENT_SECRET_BASIC, null, null, null, SECRET));

        assertThat(client.getClientAuthenticationMethods()).containsExactly(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        assertThat(client.getClientSecret()).isNotEqualTo(SECRET);
        assertThat(encoder.matches(SECRET, client.getClientSecret())).isTrue();
        assertThat(client.getAuthorizationGrantTypes()).contains(AuthorizationGrantType.REFRESH_TOKEN);
        assertThat(client.getClientSettings().getTokenEndpointAuthenticationSigningAlgorithm()).isNull();
        assertThat(client.getClientSettings().getJwkSetUrl()).isNull();
    }

    @Test
    void aSecretTheEncoderRefusesIsReportedAgainstTheFile() {
        String longSecret = "x".repeat(80);
        assertThatThrownBy(() -> factory.create(portal(AuthMethod.CLIENT_SECRET_BASIC, null, null, null, longSecret)))
                .isInstanceOfSatisfying(ConfigFileException.class, e -> {
                    assertThat(e.file()).isEqualTo("config/clients/city-portal.yml");
                    assertThat(e.field()).isEqualTo("client_secret");
                    assertThat(e.reason()).contains("cannot be hashed").doesNotContain(longSecret);
                });
    }

    @Test
    void publicClientGetsNoRefreshTokenButStillNeedsPkce() {
        RegisteredClient client = factory.create(portal(AuthMethod.NONE, null, null, null, null));

        assertThat(client.getClientAuthenticationMethods()).containsExactly(ClientAuthenticationMethod.NONE);
        assertThat(client.getAuthorizationGrantTypes()).containsExactly(AuthorizationGrantType.AUTHORIZATION_CODE);
        assertThat(client.getClientSecret()).isNull();
        assertThat(client.getClientSettings().isRequireProofKey()).isTrue();
        assertThat(client.getClientSettings().isRequireAuthorizationConsent()).isFalse();
    }

    @Test
    void sameConfigGivesTheSameId() {
        PortalConfig config = portal(AuthMethod.NONE, null, null, null, null);
        assertThat(factory.create(config).getId()).isEqualTo(factory.create(config).getId());
    }

    @Test
    void lifetimesMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenLifetimes(Duration.ZERO, Duration.ofMinutes(5),
                Duration.ofMinutes(5), Duration.ofHours(1)));
    }

    private static JWKSet parse(String json) throws ParseException {
        return JWKSet.parse(json);
    }
}

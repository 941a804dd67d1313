package io.passerelle.issuer;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;

import io.passerelle.keys.JoseVerifiers;

import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionDecoderFactory;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestTemplate;

/**
 * Verifies {@code private_key_jwt} client assertions (RFC 7523, OIDC Core 9) for portals whose keys are
 * configured inline ({@code jwks}) or by URL ({@code jwks_uri}); the server's own factory knows only URLs.
 *
 * <p>The algorithm is pinned per portal from its configuration, never read from the assertion, so
 * {@code alg: none} and HMAC-with-a-public-key are refused by construction. On top of the server's
 * checks ({@code iss} = {@code sub} = client_id, {@code aud} = this server, {@code exp}, {@code nbf}):
 * {@code jti} is required and used once, and {@code exp} may not be further away than
 * {@link #MAX_LIFETIME} (so the replay store stays bounded). Decoders are built once per portal version: a
 * portal file reloaded with other keys or another algorithm gets a new {@link RegisteredClient} instance, and
 * with it a new decoder.
 */
public final class ClientAssertionDecoderFactory implements JwtDecoderFactory<RegisteredClient> {

    /** Custom client setting holding a portal's inline public JWK Set (JSON). */
    public static final String JWKS_SETTING = "passerelle.jwks";
    static final Duration MAX_LIFETIME = Duration.ofMinutes(10);
    private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc7523#section-3";

    private final ClientAssertionReplayStore replayStore;
    private final Clock clock;
    private final RestTemplate jwksClient;
    /** Per client id: the registered client (by identity: the registry's current version) and its decoder. */
    private final Map<String, Built> decoders = new ConcurrentHashMap<>();

    private record Built(RegisteredClient client, JwtDecoder decoder) {
    }

    public ClientAssertionDecoderFactory(ClientAssertionReplayStore replayStore, Clock clock) {
        this.replayStore = replayStore;
        this.clock = clock;
        // A portal's jwks_uri is fetched on the token endpoint's path: never wait long for it.
        SimpleClientHttpRequestFactory http = new SimpleClientHttpRequestFactory();
        http.setConnectTimeout(Duration.ofSeconds(2));
        http.setReadTimeout(Duration.ofSeconds(3));
        this.jwksClient = new RestTemplate(http);
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        Built built = decoders.compute(client.getId(),
                (id, cached) -> cached != null && cached.client() == client ? cached : new Built(client, build(client)));
        return built.decoder();
    }

    private JwtDecoder build(RegisteredClient client) {
        if (!(client.getClientSettings().getTokenEndpointAuthenticationSigningAlgorithm()
                instanceof SignatureAlgorithm alg)) {
            throw invalidClient("no signing algorithm configured for client assertions");
        }
        String inline = client.getClientSettings().getSetting(JWKS_SETTING);
        String url = client.getClientSettings().getJwkSetUrl();
        NimbusJwtDecoder decoder;
        if (StringUtils.hasText(inline)) {
            try {
                decoder = NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<>(JWKSet.parse(inline)))
                        .jwsAlgorithm(alg).jwtProcessorCustomizer(JoseVerifiers.processorCustomizer()).build();
            } catch (ParseException e) {
                throw invalidClient("the configured jwks cannot be parsed");
            }
        } else if (StringUtils.hasText(url)) {
            decoder = NimbusJwtDecoder.withJwkSetUri(url).jwsAlgorithm(alg).restOperations(jwksClient)
                    .jwtProcessorCustomizer(JoseVerifiers.processorCustomizer()).build();
        } else {
            throw invalidClient("no keys configured for client assertions");
        }
        OAuth2TokenValidator<Jwt> standard = JwtClientAssertionDecoderFactory.DEFAULT_JWT_VALIDATOR_FACTORY.apply(client);
        decoder.setJwtValidator(jwt -> {
            OAuth2TokenValidatorResult result = standard.validate(jwt);
            return result.hasErrors() ? result : oneTimeUse(client.getClientId(), jwt);
        });
        return decoder;
    }

    /** Runs last, once everything else holds, so a rejected assertion does not burn its jti. */
    private OAuth2TokenValidatorResult oneTimeUse(String clientId, Jwt jwt) {
        String jti = jwt.getId();
        Instant exp = jwt.getExpiresAt();
        if (!StringUtils.hasText(jti) || jti.length() > 255) {
            return failure("client assertion must carry a jti of at most 255 characters");
        }
        if (exp == null || exp.isAfter(clock.instant().plus(MAX_LIFETIME))) {
            return failure("client assertion exp must be within " + MAX_LIFETIME.toMinutes() + " minutes");
        }
        if (!replayStore.firstUse(clientId, jti, exp)) {
            return failure("client assertion jti was already used");
        }
        return OAuth2TokenValidatorResult.success();
    }

    private static OAuth2TokenValidatorResult failure(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, description, ERROR_URI));
    }

    private static OAuth2AuthenticationException invalidClient(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, description, ERROR_URI));
    }
}

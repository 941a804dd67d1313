package io.passerelle.keys.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.passerelle.issuer.ClientAssertionReplayStore;
import io.passerelle.keys.JoseVerifiers;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.util.StringUtils;

/**
 * Verifies the bearer token of an admin API call: a JWT the admin client signs itself with its private key,
 * shaped like a {@code private_key_jwt} client assertion (RFC 7523 3) but addressed to the admin API:
 * <ul>
 * <li>signed by a key of {@code passerelle.admin.jwks}, with that key's own {@code alg} (pinned by the
 *     configuration: the header cannot pick another algorithm, {@code none} or HMAC);</li>
 * <li>a {@code kid} in the header (the audit trail names the key, so one key per person or tool says who);</li>
 * <li>{@code iss} = {@code sub} = the admin client id; {@code aud} contains {@code <issuer>/admin};</li>
 * <li>{@code exp} present and at most {@link #MAX_LIFETIME} ahead (a leaked assertion is useless soon);</li>
 * <li>{@code jti} present and used once, across the cluster (the replay store of portal assertions, under a
 *     client id no portal can have).</li>
 * </ul>
 * No token endpoint is involved, so there is no long-lived admin access token to steal. Not a bean: the
 * issuer's {@code JwtDecoder} bean must stay the only one.
 */
final class AdminAssertionDecoder implements JwtDecoder {

    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    /** Portal client ids match {@code [a-z0-9][a-z0-9._-]*}: this one cannot collide with theirs. */
    static final String REPLAY_NAMESPACE = "#passerelle-admin";
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final JwtDecoder delegate;

    private AdminAssertionDecoder(JwtDecoder delegate) {
        this.delegate = delegate;
    }

    /**
     * @param audience the admin API's identifier, {@code <issuer>/admin}
     */
    static AdminAssertionDecoder create(JWKSet keys, String clientId, String audience,
                                        ClientAssertionReplayStore replayStore, Clock clock) {
        if (keys.isEmpty()) {
            return new AdminAssertionDecoder(token -> {
                throw new BadJwtException("No admin keys are configured (passerelle.admin.jwks or"
                        + " config/admin.jwks.json): the admin API refuses every call");
            });
        }
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<>(keys))
                .jwsAlgorithms(algorithms -> keys.getKeys().stream().map(JWK::getAlgorithm)
                        .map(alg -> SignatureAlgorithm.from(alg.getName())).forEach(algorithms::add))
                .jwtProcessorCustomizer(JoseVerifiers.processorCustomizer()).build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(CLOCK_SKEW);
        timestamps.setClock(clock);
        decoder.setJwtValidator(jwt -> {
            OAuth2TokenValidatorResult time = timestamps.validate(jwt);
            if (time.hasErrors()) {
                return time;
            }
            Instant exp = jwt.getExpiresAt();
            if (exp == null || exp.isAfter(clock.instant().plus(MAX_LIFETIME))) {
                return failure("exp is required and at most " + MAX_LIFETIME.toMinutes() + " minutes ahead");
            }
            if (!clientId.equals(jwt.getClaimAsString("iss")) || !clientId.equals(jwt.getSubject())) {
                return failure("iss and sub must be the admin client id");
            }
            List<String> aud = jwt.getAudience();
            if (aud == null || !aud.contains(audience)) {
                return failure("aud must contain " + audience);
            }
            if (!(jwt.getHeaders().get("kid") instanceof String kid) || kid.isBlank()) {
                return failure("the header must name the signing key (kid): it identifies the caller");
            }
            String jti = jwt.getId();
            if (!StringUtils.hasText(jti) || jti.length() > 255) {
                return failure("jti is required (at most 255 characters)");
            }
            // Last, once everything else holds, so that a refused assertion does not burn its jti.
            return replayStore.firstUse(REPLAY_NAMESPACE, jti, exp) ? OAuth2TokenValidatorResult.success()
                    : failure("jti was already used");
        });
        return new AdminAssertionDecoder(decoder);
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        return delegate.decode(token);
    }

    /** Who made the call, for the audit trail: the client and the key that signed (one key per person or tool). */
    static String actor(Jwt jwt) {
        return "admin:" + jwt.getSubject() + "/" + jwt.getHeaders().get("kid");
    }

    private static OAuth2TokenValidatorResult failure(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
    }
}

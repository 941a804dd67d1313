package io.passerelle.keys.admin;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the key admin API (prefix {@code passerelle.admin}). Without any key the API answers 401 to
 * everything: there is no open mode.
 *
 * @param clientId {@code client-id}: the admin client; every admin assertion must carry it as {@code iss}
 *                 and {@code sub} (like a {@code private_key_jwt} client assertion, RFC 7523 3). Default
 *                 {@code passerelle-admin}.
 * @param jwks     {@code jwks}: the admin client's public keys, as an inline JWK Set (JSON). Each key must
 *                 carry {@code alg} (RS256, PS256 or ES256), which pins the algorithm its assertions are
 *                 verified with, and a {@code kid}, recorded as part of the actor in the audit trail (one
 *                 key per person or tool makes the trail say who). Private keys are refused.
 * @param jwksFile {@code jwks-file}: a file holding that JWK Set, read when {@code jwks} is unset; default
 *                 {@code <passerelle.config-dir>/admin.jwks.json}, ignored when absent.
 */
@ConfigurationProperties("passerelle.admin")
public record AdminProperties(@DefaultValue("passerelle-admin") String clientId, @Nullable String jwks,
                              @Nullable Path jwksFile) {
}

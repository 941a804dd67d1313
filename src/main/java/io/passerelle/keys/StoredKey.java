package io.passerelle.keys;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One row of {@code signing_key}. The use ({@code sig}/{@code enc}) follows from the algorithm.
 *
 * @param publicJwk  public JWK JSON (kid, use, alg, x5c)
 * @param privateKey the sealed private JWK, see {@link MasterKey#encrypt}; opaque to the repository
 * @param retireAt   when the key is planned to retire (set by rotation), or null
 * @param version    compare-and-swap counter, 0 when inserted
 */
public record StoredKey(
        String kid,
        KeyAlgorithm algorithm,
        KeyState state,
        String publicJwk,
        String privateKey,
        Instant createdAt,
        @Nullable Instant activatedAt,
        @Nullable Instant retireAt,
        @Nullable Instant retiredAt,
        int version) {

    public StoredKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(publicJwk, "publicJwk");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Short description for log lines and error messages: never key material. */
    public String describe() {
        return "'" + kid + "' (" + algorithm.id() + ", " + state.dbValue() + ")";
    }
}

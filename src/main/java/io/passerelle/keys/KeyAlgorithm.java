package io.passerelle.keys;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;

/**
 * The algorithms the ring holds exactly one active key for. Each key is bound to one algorithm (its JWK
 * carries {@code alg}), so a key generated for PS256 is never used for RS256 and vice versa.
 */
public enum KeyAlgorithm {
    RS256(JWSAlgorithm.RS256, KeyUse.SIGNATURE),
    PS256(JWSAlgorithm.PS256, KeyUse.SIGNATURE),
    ES256(JWSAlgorithm.ES256, KeyUse.SIGNATURE),
    /** For upstream providers to encrypt ID tokens to us (JWE key management). */
    RSA_OAEP_256(JWEAlgorithm.RSA_OAEP_256, KeyUse.ENCRYPTION);

    private final Algorithm jose;
    private final KeyUse use;

    KeyAlgorithm(Algorithm jose, KeyUse use) {
        this.jose = jose;
        this.use = use;
    }

    /** The JOSE name ("RS256", "RSA-OAEP-256"), as in the JWK's {@code alg} and in {@code signing_key.alg}. */
    public String id() {
        return jose.getName();
    }

    public Algorithm jose() {
        return jose;
    }

    public KeyUse use() {
        return use;
    }

    public static KeyAlgorithm fromId(String id) {
        for (KeyAlgorithm algorithm : values()) {
            if (algorithm.id().equals(id)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("Unknown key algorithm '" + id + "'");
    }
}

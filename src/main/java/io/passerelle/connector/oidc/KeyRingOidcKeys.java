package io.passerelle.connector.oidc;

import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;

import io.passerelle.keys.KeyRing;

/** {@link OidcKeys} over Passerelle's {@link KeyRing}. */
public final class KeyRingOidcKeys implements OidcKeys {

    private final KeyRing keyRing;

    public KeyRingOidcKeys(KeyRing keyRing) {
        this.keyRing = keyRing;
    }

    @Override
    public JWK signingKey(JWSAlgorithm algorithm) {
        // A selection naming an algorithm and no kid sees only the ring's ACTIVE keys: exactly one per algorithm.
        JWKSelector selector = new JWKSelector(new JWKMatcher.Builder().algorithm(algorithm).privateOnly(true).build());
        List<JWK> keys = keyRing.get(selector, null);
        if (keys.size() != 1) {
            throw new IllegalStateException("expected one active " + algorithm + " key in the key ring, found " + keys.size());
        }
        return keys.get(0);
    }

    @Override
    public List<JWK> decryptionKeys() {
        return keyRing.decryptionKeys();
    }
}

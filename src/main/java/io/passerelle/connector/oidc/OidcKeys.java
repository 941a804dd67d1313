package io.passerelle.connector.oidc;

import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;

/**
 * Passerelle's own keys, as the OIDC connector needs them: the one active private key that signs client
 * assertions and request objects for an algorithm, and the private keys upstream providers may have
 * encrypted an ID token or UserInfo to. A small seam so the connector does not depend on how the key
 * ring stores keys (and tests can hand in generated ones).
 */
public interface OidcKeys {

    /**
     * The single active private signing key for {@code algorithm}, with its {@code kid}.
     *
     * @throws IllegalStateException when there is no such key, or more than one
     */
    JWK signingKey(JWSAlgorithm algorithm);

    /** Private RSA-OAEP-256 keys (active and retired), each with its {@code kid}. */
    List<JWK> decryptionKeys();
}

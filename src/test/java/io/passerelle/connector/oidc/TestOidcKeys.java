package io.passerelle.connector.oidc;

import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/** Passerelle's keys in tests: generated once per JVM (RSA generation is slow), private, with kids. */
final class TestOidcKeys implements OidcKeys {

    static final TestOidcKeys INSTANCE = new TestOidcKeys();

    final RSAKey rs256 = rsa("pas-rs256", JWSAlgorithm.RS256, KeyUse.SIGNATURE);
    final RSAKey ps256 = rsa("pas-ps256", JWSAlgorithm.PS256, KeyUse.SIGNATURE);
    final ECKey es256 = ec("pas-es256");
    final RSAKey encryption = rsa("pas-enc-1", JWEAlgorithm.RSA_OAEP_256, KeyUse.ENCRYPTION);
    final RSAKey retiredEncryption = rsa("pas-enc-0", JWEAlgorithm.RSA_OAEP_256, KeyUse.ENCRYPTION);

    private TestOidcKeys() {
    }

    @Override
    public JWK signingKey(JWSAlgorithm algorithm) {
        if (JWSAlgorithm.RS256.equals(algorithm)) {
            return rs256;
        }
        if (JWSAlgorithm.PS256.equals(algorithm)) {
            return ps256;
        }
        if (JWSAlgorithm.ES256.equals(algorithm)) {
            return es256;
        }
        throw new IllegalStateException("no " + algorithm + " key");
    }

    @Override
    public List<JWK> decryptionKeys() {
        return List.of(encryption, retiredEncryption);
    }

    static RSAKey rsa(String kid, com.nimbusds.jose.Algorithm alg, KeyUse use) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).algorithm(alg).keyUse(use).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey ec(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}

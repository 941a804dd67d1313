package io.passerelle.connector.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.passerelle.keys.JdbcKeyRepository;
import io.passerelle.keys.KeyRing;
import io.passerelle.keys.MasterKey;
import io.passerelle.testsupport.MigratedDatabase;

/** The connector's view of Passerelle's real key ring, on a fresh H2 database. */
class KeyRingOidcKeysTest {

    private static KeyRing keyRing() {
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        return new KeyRing(new JdbcKeyRepository(JdbcClient.create(MigratedDatabase.h2())), new MasterKey(master, "test"),
                Clock.systemUTC());
    }

    @Test
    void signingKeysAreTheSingleActivePrivateKeyPerAlgorithmWithAKid() {
        KeyRing ring = keyRing();
        KeyRingOidcKeys keys = new KeyRingOidcKeys(ring);
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256)) {
            JWK key = keys.signingKey(alg);
            assertThat(key.isPrivate()).isTrue();
            assertThat(key.getAlgorithm()).isEqualTo(alg);
            assertThat(key.getKeyID()).isNotBlank();
            // The provider finds it in Passerelle's published JWKS by kid.
            assertThat(ring.publicJwks().getKeyByKeyId(key.getKeyID())).isNotNull();
        }
    }

    @Test
    void decryptionKeysArePrivateRsaOaep256Keys() {
        List<JWK> keys = new KeyRingOidcKeys(keyRing()).decryptionKeys();
        assertThat(keys).isNotEmpty().allSatisfy(key -> {
            assertThat(key.isPrivate()).isTrue();
            assertThat(key.getAlgorithm()).isEqualTo(JWEAlgorithm.RSA_OAEP_256);
            assertThat(key.getKeyUse()).isEqualTo(KeyUse.ENCRYPTION);
        });
    }

    @Test
    void aTokenEncryptedToTheRingsPublishedKeyDecrypts() throws Exception {
        KeyRing ring = keyRing();
        JWK published = ring.activeEncryptionKey().orElseThrow();
        String jwe = TestProvider.encryptTo(published.toRSAKey(), TestProvider.sign(IdTokenChecksTest.claims().build()));
        assertThat(JoseChecks.decrypted("IdToken", com.nimbusds.jwt.EncryptedJWT.parse(jwe),
                new KeyRingOidcKeys(ring).decryptionKeys()).getJWTClaimsSet().getSubject()).isEqualTo("s-1");
    }
}

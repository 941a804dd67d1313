package io.passerelle.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.junit.jupiter.api.Test;

/** The faster ECDSA arithmetic must accept exactly what the JDK's accepts, no more. */
class JoseVerifiersTest {

    private static final ECKey EC = generate();
    private static final ECKey OTHER_EC = generate();

    @Test
    void anEs256SignatureMadeByTheJdkVerifies() throws Exception {
        assertThat(signedEs256().verify(JoseVerifiers.forKey(EC.toPublicJWK()))).isTrue();
    }

    @Test
    void anotherKeysSignatureDoesNotVerify() throws Exception {
        assertThat(signedEs256().verify(JoseVerifiers.forKey(OTHER_EC.toPublicJWK()))).isFalse();
    }

    @Test
    void aChangedPayloadDoesNotVerify() throws Exception {
        SignedJWT jwt = signedEs256();
        String[] parts = jwt.serialize().split("\\.");
        SignedJWT forged = new SignedJWT(new Base64URL(parts[0]),
                new JWTClaimsSet.Builder().subject("mallory").build().toPayload().toBase64URL(), new Base64URL(parts[2]));
        assertThat(forged.verify(JoseVerifiers.forKey(EC.toPublicJWK()))).isFalse();
    }

    @Test
    void aSignatureOfZerosIsRefusedBeforeAnyArithmetic() throws Exception {
        // CVE-2022-21449 ("psychic signatures"): r = s = 0 must never verify.
        SignedJWT jwt = signedEs256();
        String[] parts = jwt.serialize().split("\\.");
        SignedJWT zeros = new SignedJWT(new Base64URL(parts[0]), new Base64URL(parts[1]), Base64URL.encode(new byte[64]));
        assertThat(zeros.verify(JoseVerifiers.forKey(EC.toPublicJWK()))).isFalse();
    }

    @Test
    void rsaKeysStillVerifyRs256() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("r").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("r").build(), claims());
        jwt.sign(new RSASSASigner(rsa));
        assertThat(jwt.verify(JoseVerifiers.forKey(rsa.toPublicJWK()))).isTrue();
    }

    @Test
    void aSymmetricKeyIsNoProviderKey() throws Exception {
        OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).generate();
        assertThatThrownBy(() -> JoseVerifiers.forKey(secret)).isInstanceOf(JOSEException.class);
    }

    @Test
    void aProcessorWithTheCustomizerKeepsItsPinnedAlgorithm() throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        JoseVerifiers.<SecurityContext>processorCustomizer().accept(processor);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                new ImmutableJWKSet<>(new JWKSet(EC.toPublicJWK()))));
        assertThat(processor.process(signedEs256(), null).getSubject()).isEqualTo("citizen");

        DefaultJWTProcessor<SecurityContext> es384Only = new DefaultJWTProcessor<>();
        JoseVerifiers.<SecurityContext>processorCustomizer().accept(es384Only);
        es384Only.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES384,
                new ImmutableJWKSet<>(new JWKSet(EC.toPublicJWK()))));
        assertThatThrownBy(() -> es384Only.process(signedEs256(), null)).isInstanceOf(BadJOSEException.class);
    }

    private static SignedJWT signedEs256() throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k").build(), claims());
        jwt.sign(new ECDSASigner(EC));
        return jwt;
    }

    private static JWTClaimsSet claims() {
        return new JWTClaimsSet.Builder().subject("citizen").expirationTime(new Date(System.currentTimeMillis() + 60_000))
                .build();
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("k").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}

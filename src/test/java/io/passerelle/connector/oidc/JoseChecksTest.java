package io.passerelle.connector.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

/** Each named check on the JOSE envelope, with a good and a bad case. */
class JoseChecksTest {

    private static final JWTClaimsSet CLAIMS = IdTokenChecksTest.claims().build();
    private static final TestOidcKeys OURS = TestOidcKeys.INSTANCE;

    private static String signed() {
        return TestProvider.sign(CLAIMS);
    }

    @Test
    void encryptedAsConfiguredGood() {
        assertThat(JoseChecks.encryptedAsConfigured("IdToken", signed(), false)).isInstanceOf(SignedJWT.class);
        assertThat(JoseChecks.encryptedAsConfigured("IdToken", TestProvider.encryptTo(OURS.encryption, signed()), true))
                .isInstanceOf(EncryptedJWT.class);
    }

    @Test
    void encryptedAsConfiguredBad() {
        IdTokenChecksTest.refused(() -> JoseChecks.encryptedAsConfigured("IdToken", signed(), true),
                "IdTokenEncryptedAsConfigured");
        IdTokenChecksTest.refused(() -> JoseChecks.encryptedAsConfigured("IdToken",
                TestProvider.encryptTo(OURS.encryption, signed()), false), "IdTokenEncryptedAsConfigured");
        IdTokenChecksTest.refused(() -> JoseChecks.encryptedAsConfigured("IdToken", "not-a-jwt", false), "IdTokenParsed");
    }

    @Test
    void decryptedGood() throws Exception {
        EncryptedJWT jwe = EncryptedJWT.parse(TestProvider.encryptTo(OURS.encryption, signed()));
        SignedJWT inner = JoseChecks.decrypted("IdToken", jwe, OURS.decryptionKeys());
        assertThat(inner.getJWTClaimsSet().getSubject()).isEqualTo("s-1");
    }

    @Test
    void decryptedBadForAKeyWeDoNotHold() throws Exception {
        EncryptedJWT jwe = EncryptedJWT.parse(TestProvider.encryptTo(TestProvider.ENCRYPTION, signed()));
        IdTokenChecksTest.refused(() -> JoseChecks.decrypted("IdToken", jwe, OURS.decryptionKeys()), "IdTokenDecrypted");
    }

    @Test
    void decryptedBadForAnotherKeyManagementAlgorithm() throws Exception {
        JWEObject oaep512 = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_512, EncryptionMethod.A128GCM)
                .keyID(OURS.encryption.getKeyID()).build(), new Payload(signed()));
        oaep512.encrypt(new RSAEncrypter(OURS.encryption.toRSAPublicKey()));
        EncryptedJWT jwe = EncryptedJWT.parse(oaep512.serialize());
        IdTokenChecksTest.refused(() -> JoseChecks.decrypted("IdToken", jwe, OURS.decryptionKeys()), "IdTokenDecrypted");
    }

    @Test
    void decryptedBadWhenNothingSignedIsInside() throws Exception {
        String plainInside = TestProvider.encryptTo(OURS.encryption, new PlainJWT(CLAIMS).serialize());
        EncryptedJWT jwe = EncryptedJWT.parse(plainInside);
        IdTokenChecksTest.refused(() -> JoseChecks.decrypted("IdToken", jwe, OURS.decryptionKeys()),
                "IdTokenSignedInsideEncrypted");
    }

    @Test
    void algorithmPinnedGood() throws Exception {
        JWT jwt = SignedJWT.parse(signed());
        assertThat(JoseChecks.algorithmPinned("IdToken", jwt, JWSAlgorithm.RS256)).isSameAs(jwt);
    }

    @Test
    void algorithmPinnedBadForNoneHmacAndAnotherAlgorithm() throws Exception {
        IdTokenChecksTest.refused(() -> JoseChecks.algorithmPinned("IdToken", new PlainJWT(CLAIMS), JWSAlgorithm.RS256),
                "IdTokenAlgorithmPinned");
        SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), CLAIMS);
        hs.sign(new MACSigner(TestProvider.SIGNING.toRSAPublicKey().getEncoded()));
        IdTokenChecksTest.refused(() -> JoseChecks.algorithmPinned("IdToken", hs, JWSAlgorithm.RS256),
                "IdTokenAlgorithmPinned");
        SignedJWT ps = new SignedJWT(new JWSHeader(JWSAlgorithm.PS256), CLAIMS);
        ps.sign(new RSASSASigner(TestProvider.SIGNING));
        IdTokenChecksTest.refused(() -> JoseChecks.algorithmPinned("IdToken", ps, JWSAlgorithm.RS256),
                "IdTokenAlgorithmPinned");
    }

    @Test
    void typeIsJwtGood() throws Exception {
        assertThatCode(() -> JoseChecks.typeIsJwt("IdToken", SignedJWT.parse(signed()))).doesNotThrowAnyException();
        SignedJWT typed = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), CLAIMS);
        assertThatCode(() -> JoseChecks.typeIsJwt("IdToken", typed)).doesNotThrowAnyException();
    }

    @Test
    void typeIsJwtBad() {
        SignedJWT accessToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(new JOSEObjectType("at+jwt")).build(), CLAIMS);
        IdTokenChecksTest.refused(() -> JoseChecks.typeIsJwt("IdToken", accessToken), "IdTokenTypeIsJwt");
    }

    @Test
    void signatureValidGood() throws Exception {
        assertThatCode(() -> JoseChecks.signatureValid("IdToken", SignedJWT.parse(signed()),
                List.of(TestProvider.ROGUE.toPublicJWK(), TestProvider.SIGNING.toPublicJWK()))).doesNotThrowAnyException();
    }

    @Test
    void signatureValidBad() throws Exception {
        SignedJWT jwt = SignedJWT.parse(signed());
        IdTokenChecksTest.refused(() -> JoseChecks.signatureValid("IdToken", jwt, List.of(TestProvider.ROGUE.toPublicJWK())),
                "IdTokenSignatureValid");
        IdTokenChecksTest.refused(() -> JoseChecks.signatureValid("IdToken", jwt, List.of()), "IdTokenSignatureValid");
    }

    @Test
    void providerValuesInMessagesCannotForgeLogLines() {
        assertThat(JoseChecks.safe("https://evil.example\n2026-01-01 INFO login ok")).doesNotContain("\n").startsWith("https://evil.example?");
        assertThat(JoseChecks.safe("x".repeat(500))).hasSize(103);
    }
}

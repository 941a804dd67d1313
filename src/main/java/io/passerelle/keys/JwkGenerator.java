package io.passerelle.keys;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes a new private JWK for one {@link KeyAlgorithm}: a fresh key pair, a random kid, {@code use},
 * {@code alg}, and {@code x5c} holding a self-signed certificate for relying parties that want one.
 */
final class JwkGenerator {

    /**
     * RSA modulus size. 2048 bits is what RFC 7518 3.3 requires at least and what every relying party
     * accepts; NIST SP 800-57 rates it adequate until 2030, and these keys rotate long before that matters.
     * 3072 would make every signature about three times slower and start-up generation several times
     * slower, for strength no token that lives minutes needs.
     */
    static final int RSA_BITS = 2048;

    /**
     * Validity of the self-signed certificate: the key's planned life (published as NEXT, ACTIVE, then
     * RETIRED until the last token it signed expires) with a wide margin. Rotation must retire a key
     * before its certificate ends, because some relying parties reject a JWK whose x5c has expired.
     */
    static final Duration CERTIFICATE_LIFETIME = Duration.ofDays(2 * 365);

    /** Backdating notBefore tolerates relying parties whose clocks run a little behind ours. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** For certificate signing only: JoseVerifiers' instance (one provider object per process). */
    private static final Provider BC = JoseVerifiers.BC;

    private JwkGenerator() {
    }

    /** A new random kid: 16 random bytes, base64url (22 characters, safe in URLs and certificate names). */
    static String newKid() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64URL.encode(bytes).toString();
    }

    static JWK generate(KeyAlgorithm algorithm, String kid, Instant now) {
        try {
            KeyPair pair = algorithm == KeyAlgorithm.ES256 ? ecP256() : rsa();
            List<Base64> x5c = List.of(Base64.encode(selfSigned(pair, algorithm, kid, now).getEncoded()));
            // Builders check that the certificate's key is the JWK's key.
            if (pair.getPublic() instanceof ECPublicKey ecPublic) {
                return new ECKey.Builder(Curve.P_256, ecPublic)
                        .privateKey((ECPrivateKey) pair.getPrivate())
                        .keyID(kid).keyUse(algorithm.use()).algorithm(algorithm.jose()).x509CertChain(x5c)
                        .build();
            }
            return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    // The CRT form (p, q, dp, dq, qi) makes every signature several times faster.
                    .privateKey((RSAPrivateCrtKey) pair.getPrivate())
                    .keyID(kid).keyUse(algorithm.use()).algorithm(algorithm.jose()).x509CertChain(x5c)
                    .build();
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("Cannot generate a " + algorithm.id() + " key", e);
        }
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(RSA_BITS, RANDOM);
        return generator.generateKeyPair();
    }

    private static KeyPair ecP256() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509CertificateHolder selfSigned(KeyPair pair, KeyAlgorithm algorithm, String kid, Instant now)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, "Passerelle " + algorithm.id() + " " + kid)
                .build();
        // RFC 5280 4.1.2.2: positive, at most 20 octets; 16 random bytes keep serials unique.
        byte[] serial = new byte[16];
        RANDOM.nextBytes(serial);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(1, serial),
                Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(CERTIFICATE_LIFETIME)), subject, pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(
                algorithm.use() == KeyUse.ENCRYPTION ? KeyUsage.keyEncipherment
                        : KeyUsage.digitalSignature));
        ContentSigner signer = new JcaContentSignerBuilder(certificateSignature(algorithm))
                .setProvider(BC)
                .build(pair.getPrivate());
        return builder.build(signer);
    }

    /** The self-signature uses the key's own scheme where it has one (PSS for a PS256 key). */
    private static String certificateSignature(KeyAlgorithm algorithm) {
        return switch (algorithm) {
            case RS256, RSA_OAEP_256 -> "SHA256withRSA";
            case PS256 -> "SHA256withRSAandMGF1";
            case ES256 -> "SHA256withECDSA";
        };
    }
}

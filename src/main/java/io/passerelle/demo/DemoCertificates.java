package io.passerelle.demo;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds certificates shaped like the Belgian eID PKI (domain facts 2.1): roots, issuing CAs, OCSP responder
 * certificates and card authentication certificates. Used by {@link DemoPki} and by the tests, which always
 * generate fresh material instead of committing certificates that expire.
 */
public final class DemoCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate with its private key. */
    public record Issued(X509Certificate certificate, PrivateKey key) {
    }

    /** What a card certificate looks like; the defaults are a valid citizen card. */
    public record CardSpec(String nationalNumber, String givenName, String surname, String policyOid, KeyUsage keyUsage,
                           Instant notBefore, Instant notAfter, String ocspUrl, String crlUrl, boolean rsa) {

        public static CardSpec citizen(String nationalNumber, String givenName, String surname, String ocspUrl,
                                       String crlUrl) {
            Instant now = Instant.now();
            return new CardSpec(nationalNumber, givenName, surname, "2.16.56.12.1.1.2.2",
                    new KeyUsage(KeyUsage.digitalSignature), now.minusSeconds(3600), now.plusSeconds(3L * 365 * 86400),
                    ocspUrl, crlUrl, false);
        }

        public CardSpec withPolicy(String oid) {
            return new CardSpec(nationalNumber, givenName, surname, oid, keyUsage, notBefore, notAfter, ocspUrl, crlUrl, rsa);
        }

        public CardSpec withKeyUsage(int bits) {
            return new CardSpec(nationalNumber, givenName, surname, policyOid, new KeyUsage(bits), notBefore, notAfter,
                    ocspUrl, crlUrl, rsa);
        }

        public CardSpec validBetween(Instant from, Instant to) {
            return new CardSpec(nationalNumber, givenName, surname, policyOid, keyUsage, from, to, ocspUrl, crlUrl, rsa);
        }

        public CardSpec withCrlUrl(String url) {
            return new CardSpec(nationalNumber, givenName, surname, policyOid, keyUsage, notBefore, notAfter, ocspUrl, url,
                    rsa);
        }

        public CardSpec withRsaKey() {
            return new CardSpec(nationalNumber, givenName, surname, policyOid, keyUsage, notBefore, notAfter, ocspUrl,
                    crlUrl, true);
        }
    }

    private DemoCertificates() {
    }

    public static KeyPair ecKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Issued root(String commonName) {
        KeyPair key = ecKey();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "BE").addRDN(BCStyle.CN, commonName).build();
        Instant now = Instant.now();
        return new Issued(build(name, name, key.getPublic(), key.getPrivate(), now.minusSeconds(86400),
                now.plusSeconds(20L * 365 * 86400), (b, u) -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                    b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(key.getPublic()));
                }), key.getPrivate());
    }

    /** An issuing CA like "Citizen CA" with serialNumber = its generation (domain facts 2.1.1), without an ARL. */
    public static Issued issuingCa(String commonName, String generation, Issued root) {
        return issuingCa(commonName, generation, root, null);
    }

    /**
     * An issuing CA whose CRL distribution point is {@code arlUrl}: the root's authority revocation list, where
     * the eID connector checks that the CA itself is not revoked.
     */
    public static Issued issuingCa(String commonName, String generation, Issued root, String arlUrl) {
        KeyPair key = ecKey();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "BE").addRDN(BCStyle.CN, commonName)
                .addRDN(BCStyle.SERIALNUMBER, generation).build();
        Instant now = Instant.now();
        return new Issued(build(subjectOf(root), name, key.getPublic(), root.key(), now.minusSeconds(86400),
                now.plusSeconds(10L * 365 * 86400), (b, u) -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                    b.addExtension(Extension.authorityKeyIdentifier, false,
                            u.createAuthorityKeyIdentifier(root.certificate()));
                    b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(key.getPublic()));
                    if (arlUrl != null) {
                        b.addExtension(Extension.cRLDistributionPoints, false, distributionPoint(arlUrl));
                    }
                }), key.getPrivate());
    }

    /** A delegated OCSP responder certificate (RFC 6960 4.2.2.2): issued by the CA, id-kp-OCSPSigning. */
    public static Issued ocspResponder(String commonName, Issued ca) {
        KeyPair key = ecKey();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "BE").addRDN(BCStyle.CN, commonName).build();
        Instant now = Instant.now();
        return new Issued(build(subjectOf(ca), name, key.getPublic(), ca.key(), now.minusSeconds(3600),
                now.plusSeconds(2L * 365 * 86400), (b, u) -> {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
                }), key.getPrivate());
    }

    /** A card authentication certificate (domain facts 2.1.1 subject layout). */
    public static Issued card(CardSpec spec, Issued ca) {
        KeyPair key = spec.rsa() ? rsaKey() : ecKey();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "BE")
                .addRDN(BCStyle.CN, spec.givenName().split(" ")[0] + " " + spec.surname() + " (Authentication)")
                .addRDN(BCStyle.SURNAME, spec.surname()).addRDN(BCStyle.GIVENNAME, spec.givenName())
                .addRDN(BCStyle.SERIALNUMBER, spec.nationalNumber()).build();
        return new Issued(build(subjectOf(ca), name, key.getPublic(), ca.key(), spec.notBefore(), spec.notAfter(), (b, u) -> {
            b.addExtension(Extension.basicConstraints, false, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, spec.keyUsage());
            b.addExtension(Extension.certificatePolicies, false,
                    new CertificatePolicies(new PolicyInformation(new ASN1ObjectIdentifier(spec.policyOid()))));
            if (spec.ocspUrl() != null) {
                b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        new AccessDescription(AccessDescription.id_ad_ocsp, uri(spec.ocspUrl()))));
            }
            if (spec.crlUrl() != null) {
                b.addExtension(Extension.cRLDistributionPoints, false, distributionPoint(spec.crlUrl()));
            }
            b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(ca.certificate()));
        }), key.getPrivate());
    }

    /** A TLS server certificate for the eID listener (localhost by default). */
    public static Issued tlsServer(String host, Issued ca) {
        KeyPair key = ecKey();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, host).build();
        Instant now = Instant.now();
        return new Issued(build(subjectOf(ca), name, key.getPublic(), ca.key(), now.minusSeconds(3600),
                now.plusSeconds(365L * 86400), (b, u) -> {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, host), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
                }), key.getPrivate());
    }

    public static List<X509Certificate> chain(Issued card, Issued ca) {
        return List.of(card.certificate(), ca.certificate());
    }

    private static CRLDistPoint distributionPoint(String url) {
        return new CRLDistPoint(new DistributionPoint[] {
                new DistributionPoint(new DistributionPointName(new GeneralNames(uri(url))), null, null)});
    }

    private static GeneralName uri(String url) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, url);
    }

    private static X500Name subjectOf(Issued issued) {
        return X500Name.getInstance(issued.certificate().getSubjectX500Principal().getEncoded());
    }

    public static String signatureAlgorithm(PrivateKey key) {
        return key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder builder, JcaX509ExtensionUtils utils) throws Exception;
    }

    private static X509Certificate build(X500Name issuer, X500Name subject, java.security.PublicKey publicKey,
                                         PrivateKey signer, Instant notBefore, Instant notAfter, Extensions extensions) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(notBefore), Date.from(notAfter), subject,
                    publicKey);
            extensions.add(builder, new JcaX509ExtensionUtils());
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signatureAlgorithm(signer)).build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a certificate for " + subject, e);
        }
    }
}

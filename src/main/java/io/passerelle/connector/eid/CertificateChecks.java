package io.passerelle.connector.eid;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

/**
 * The named checks on an eID authentication certificate. Each throws a {@link ConnectorException}
 * ({@code INVALID_RESPONSE}) whose check name is the method's constant, for the audit trail; none can be
 * switched off. Revocation is separate ({@link RevocationChecker}).
 */
public final class CertificateChecks {

    public static final String CHAIN_PRESENT = "EidChainPresent";
    public static final String WITHIN_VALIDITY = "EidCertificateWithinValidity";
    /** A certificate of the path whose validity has not begun (a new card, or the computer's clock is wrong). */
    public static final String VALIDITY_STARTED = "EidCertificateValidityStarted";
    public static final String PATH_VALID = "EidPathToTrustAnchor";
    public static final String END_ENTITY = "EidEndEntityNotCa";
    public static final String KEY_USAGE = "EidKeyUsageAuthentication";
    public static final String POLICY = "EidAuthenticationPolicy";
    public static final String SUBJECT = "EidSubjectIdentity";
    public static final String NATIONAL_NUMBER = "EidNationalNumber";

    private static final int MAX_CHAIN = 6;

    private CertificateChecks() {
    }

    /** EidChainPresent: the TLS handshake (or the proxy) gave at least one certificate, and few enough. */
    public static X509Certificate endEntity(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw fail(CHAIN_PRESENT, "no client certificate was presented");
        }
        if (chain.size() > MAX_CHAIN) {
            throw fail(CHAIN_PRESENT, "client certificate chain longer than " + MAX_CHAIN);
        }
        return chain.get(0);
    }

    /**
     * Builds the path from the end entity to a configured root, issuer by issuer (RFC 5280 6.1: subject of
     * one = issuer of the previous), from the presented certificates and the configured issuing CAs. The
     * returned path excludes the root. The signatures are checked by {@link #pathValid}.
     */
    public static List<X509Certificate> buildPath(X509Certificate endEntity, List<X509Certificate> presented,
                                                  TrustSettings trust) {
        List<X509Certificate> candidates = new ArrayList<>(trust.issuingCas());
        candidates.addAll(presented.subList(Math.min(1, presented.size()), presented.size()));
        Set<X500Principal> roots = new HashSet<>();
        trust.roots().forEach(root -> roots.add(root.getSubjectX500Principal()));
        List<X509Certificate> path = new ArrayList<>();
        X509Certificate current = endEntity;
        path.add(current);
        while (!roots.contains(current.getIssuerX500Principal())) {
            X509Certificate next = issuerOf(current, candidates);
            if (next == null || path.size() >= MAX_CHAIN) {
                throw fail(PATH_VALID, "no path from the certificate to a configured trust anchor");
            }
            path.add(next);
            current = next;
        }
        return path;
    }

    private static X509Certificate issuerOf(X509Certificate certificate, List<X509Certificate> candidates) {
        for (X509Certificate candidate : candidates) {
            if (candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                    && !candidate.equals(certificate)) {
                try {
                    certificate.verify(candidate.getPublicKey());
                    return candidate;
                } catch (GeneralSecurityException e) {
                    // Same name, other key (a re-keyed CA): try the next candidate.
                }
            }
        }
        return null;
    }

    /** EidCertificateWithinValidity (expired) and EidCertificateValidityStarted (RFC 5280 4.1.2.5): every certificate of the path is valid now. */
    public static void withinValidity(List<X509Certificate> path, Instant now) {
        for (X509Certificate certificate : path) {
            try {
                certificate.checkValidity(Date.from(now));
            } catch (CertificateExpiredException e) {
                throw fail(WITHIN_VALIDITY, "certificate expired on " + certificate.getNotAfter().toInstant()
                        + " (serial " + certificate.getSerialNumber().toString(16) + ")");
            } catch (CertificateNotYetValidException e) {
                throw fail(VALIDITY_STARTED, "certificate valid only from " + certificate.getNotBefore().toInstant()
                        + " (serial " + certificate.getSerialNumber().toString(16) + ")");
            }
        }
    }

    /**
     * EidPathToTrustAnchor (RFC 5280 6.1): PKIX validation of the path to the configured anchors, signatures,
     * names, CA basic constraints and path lengths. Revocation is off here because {@link RevocationChecker}
     * does it with an allow-list of responders, timeouts and a cache.
     */
    public static void pathValid(List<X509Certificate> path, Set<TrustAnchor> anchors, Instant now) {
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            // Real eID certificates carry CPS qualifiers; the policy itself is pinned by EidAuthenticationPolicy.
            parameters.setPolicyQualifiersRejected(false);
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        } catch (CertPathValidatorException e) {
            // The reason only: the JDK's message may quote a subject DN, which carries the national number.
            throw fail(PATH_VALID, "path validation failed: " + e.getReason());
        } catch (GeneralSecurityException e) {
            throw fail(PATH_VALID, "path validation failed: " + e.getClass().getSimpleName());
        }
    }

    /** EidEndEntityNotCa (RFC 5280 4.2.1.9): a CA certificate must never authenticate a citizen. */
    public static void endEntityNotCa(X509Certificate certificate) {
        if (certificate.getBasicConstraints() != -1) {
            throw fail(END_ENTITY, "the client certificate is a CA certificate");
        }
    }

    /**
     * EidKeyUsageAuthentication (RFC 5280 4.2.1.3, domain facts 2.1.2): the authentication certificate has
     * digitalSignature and not nonRepudiation; nonRepudiation marks the card's qualified signature
     * certificate, which must not be used to sign in.
     */
    public static void keyUsageAuthentication(X509Certificate certificate) {
        boolean[] usage = certificate.getKeyUsage();
        if (usage == null || !usage[0]) {
            throw fail(KEY_USAGE, "key usage lacks digitalSignature");
        }
        if (usage[1]) {
            throw fail(KEY_USAGE, "key usage has nonRepudiation: a signature certificate, not an authentication one");
        }
    }

    /**
     * EidAuthenticationPolicy (RFC 5280 4.2.1.4, domain facts 2.1.2 and 2.1.5): the certificate carries an
     * authentication policy OID of a configured card type rule whose issuing CA (if the rule names one) signed
     * it; the first such rule says citizen, foreigner or kids. A signature certificate's policy matches no rule.
     */
    public static CardType authenticationPolicy(X509Certificate certificate, X509Certificate issuer, TrustSettings trust) {
        return cardTypeRule(certificate, issuer, trust).type();
    }

    /** The same check, answering the first matching rule (its type and its level). */
    static CardTypeRule cardTypeRule(X509Certificate certificate, X509Certificate issuer, TrustSettings trust) {
        byte[] value = certificate.getExtensionValue(Extension.certificatePolicies.getId());
        if (value == null) {
            throw fail(POLICY, "no certificate policies");
        }
        Set<String> oids = new HashSet<>();
        try {
            for (PolicyInformation policy : CertificatePolicies.getInstance(
                    JcaX509ExtensionUtils.parseExtensionValue(value)).getPolicyInformation()) {
                oids.add(policy.getPolicyIdentifier().getId());
            }
        } catch (IOException | IllegalArgumentException e) {
            throw fail(POLICY, "malformed certificate policies");
        }
        for (CardTypeRule rule : trust.cardTypes()) {
            if (rule.matches(oids, issuer)) {
                return rule;
            }
        }
        throw fail(POLICY, "no configured card type matches the certificate's policies " + new java.util.TreeSet<>(oids)
                + " and issuing CA");
    }

    /**
     * EidSubjectIdentity and EidNationalNumber (domain facts 2.1.1, 2.1.6): serialNumber is the 11-digit
     * national number with a valid mod-97 check, givenName and surname are present, each exactly once.
     */
    public static CardHolder holder(X509Certificate certificate, CardType type) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        String serial = single(subject, BCStyle.SERIALNUMBER, "serialNumber");
        if (!NationalNumber.isValid(serial)) {
            throw fail(NATIONAL_NUMBER, "subject serialNumber is not a valid national number");
        }
        return new CardHolder(serial, single(subject, BCStyle.GIVENNAME, "givenName"),
                single(subject, BCStyle.SURNAME, "surname"), type, certificate);
    }

    private static String single(X500Name subject, ASN1ObjectIdentifier type, String name) {
        RDN[] rdns = subject.getRDNs(type);
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            throw fail(SUBJECT, "subject must have exactly one " + name);
        }
        ASN1Encodable value = rdns[0].getFirst().getValue();
        String text = (value instanceof ASN1String string ? string.getString() : IETFUtils.valueToString(value)).trim();
        if (text.isEmpty() || text.length() > 200) {
            throw fail(SUBJECT, "subject " + name + " is empty or too long");
        }
        return text;
    }

    static ConnectorException fail(String check, String message) {
        return new ConnectorException(Kind.INVALID_RESPONSE, check, message);
    }
}

package io.passerelle.connector.eid;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

/**
 * The CRL fallback (RFC 5280 6.3.3): the CRL is well formed ({@value #WELL_FORMED}), issued by the
 * certificate's issuer ({@value #ISSUER}), signed with its key ({@value #SIGNATURE}), current ({@value #FRESH})
 * and complete and in scope ({@link CrlScope}); then the serial is looked up.
 */
final class CrlCheck {

    static final String FETCH = "EidCrlAvailable";
    static final String WELL_FORMED = "EidCrlWellFormed";
    static final String ISSUER = "EidCrlIssuer";
    static final String SIGNATURE = "EidCrlSignature";
    static final String FRESH = "EidCrlFresh";

    /** keyUsage bit 6 (RFC 5280 4.2.1.3). */
    private static final int CRL_SIGN = 6;

    private CrlCheck() {
    }

    /** Parses and verifies a CRL from the issuer; returns it with until when it may be reused. */
    static VerifiedCrl verify(byte[] body, URI source, X509Certificate issuer, RevocationSettings settings, Instant now) {
        X509CRL crl;
        try {
            crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(body));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, WELL_FORMED, "malformed CRL");
        }
        if (crl == null) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, WELL_FORMED, "empty CRL");
        }
        issuer(crl, issuer);
        signature(crl, issuer);
        Instant until = OcspCheck.freshUntil(crl.getThisUpdate(), crl.getNextUpdate(), settings, now, FRESH);
        CrlScope.checkCrl(crl);
        return new VerifiedCrl(crl, source, until);
    }

    /**
     * EidCrlIssuer (RFC 5280 6.3.3 (b)(1), (f)): only the certificate's own CA speaks for it here (indirect CRLs
     * are refused by {@link CrlScope}), and that CA may sign CRLs (keyUsage cRLSign when key usage is present).
     */
    static void issuer(X509CRL crl, X509Certificate issuer) {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, ISSUER, "CRL is not issued by the certificate's CA");
        }
        boolean[] usage = issuer.getKeyUsage();
        if (usage != null && (usage.length <= CRL_SIGN || !usage[CRL_SIGN])) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, ISSUER, "the CA's key usage does not allow CRL signing");
        }
    }

    /** EidCrlSignature (RFC 5280 6.3.3 (g)): the CRL is signed with the issuing CA's key. */
    static void signature(X509CRL crl, X509Certificate issuer) {
        try {
            crl.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, SIGNATURE, "CRL signature is not the CA's");
        }
    }

    /** A CRL whose issuer, signature, freshness and completeness were checked, and where it was fetched from. */
    record VerifiedCrl(X509CRL crl, URI source, Instant cacheUntil) {

        /** The status of a certificate, once the CRL's scope is known to cover it ({@link CrlScope}). */
        RevocationStatus status(X509Certificate certificate) {
            CrlScope.checkCovers(crl, certificate, source);
            return crl.getRevokedCertificate(certificate) != null ? RevocationStatus.REVOKED : RevocationStatus.GOOD;
        }
    }
}

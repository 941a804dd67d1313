package io.passerelle.connector.eid;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

/**
 * The CRL fallback (RFC 5280 6.3): the CRL is issued and signed by the certificate's issuer
 * ({@value #SIGNATURE}) and current ({@value #FRESH}); then the serial is looked up.
 */
final class CrlCheck {

    static final String FETCH = "EidCrlAvailable";
    static final String WELL_FORMED = "EidCrlWellFormed";
    static final String SIGNATURE = "EidCrlSignature";
    static final String FRESH = "EidCrlFresh";

    private CrlCheck() {
    }

    /** Parses and verifies a CRL from the issuer; returns it with until when it may be reused. */
    static VerifiedCrl verify(byte[] body, X509Certificate issuer, RevocationSettings settings, Instant now) {
        X509CRL crl;
        try {
            crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(body));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, WELL_FORMED, "malformed CRL");
        }
        if (crl == null || !crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, SIGNATURE, "CRL is not issued by the certificate's CA");
        }
        try {
            crl.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new ConnectorException(Kind.INVALID_RESPONSE, SIGNATURE, "CRL signature is not the CA's");
        }
        Instant until = OcspCheck.freshUntil(crl.getThisUpdate(), crl.getNextUpdate(), settings, now, FRESH);
        return new VerifiedCrl(crl, until);
    }

    /** A CRL whose issuer and signature were checked. */
    record VerifiedCrl(X509CRL crl, Instant cacheUntil) {

        RevocationStatus status(X509Certificate certificate) {
            return crl.getRevokedCertificate(certificate) != null ? RevocationStatus.REVOKED : RevocationStatus.GOOD;
        }
    }
}

package io.passerelle.connector.eid;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

/**
 * Whether a CRL, already known to be signed by the certificate's issuer, actually speaks about that certificate
 * (RFC 5280 5.2.5 Issuing Distribution Point, 6.3.3). A CRL that covers only CA certificates, only some
 * revocation reasons, or another partition says nothing about a certificate outside its scope: reading "not
 * listed" as "not revoked" there would accept a revoked card. Every check fails closed; the names start with
 * EidCrl so the citizen is told the status could not be established.
 */
final class CrlScope {

    static final String COMPLETE = "EidCrlComplete";
    static final String CRITICAL_EXTENSIONS = "EidCrlCriticalExtensions";
    static final String NOT_INDIRECT = "EidCrlNotIndirect";
    static final String ALL_REASONS = "EidCrlScopeAllReasons";
    static final String CERTIFICATE_KIND = "EidCrlScopeCertificateKind";
    static final String DISTRIBUTION_POINT = "EidCrlScopeDistributionPoint";

    /** The CRL extensions this class processes; any other critical one makes the CRL unusable (RFC 5280 5.2). */
    private static final Set<String> PROCESSED = Set.of(Extension.issuingDistributionPoint.getId(),
            Extension.authorityKeyIdentifier.getId(), Extension.cRLNumber.getId());

    private CrlScope() {
    }

    /** The checks that depend on the CRL alone, run once when it is fetched. */
    static void checkCrl(X509CRL crl) {
        complete(crl);
        criticalExtensions(crl);
        IssuingDistributionPoint idp = idp(crl);
        if (idp != null) {
            notIndirect(idp);
            allReasons(idp);
        }
    }

    /** The checks that depend on the certificate asked about, run on every look-up. */
    static void checkCovers(X509CRL crl, X509Certificate certificate, URI fetchedFrom) {
        IssuingDistributionPoint idp = idp(crl);
        if (idp != null) {
            certificateKind(idp, certificate);
            distributionPoint(idp, certificate, fetchedFrom);
        }
    }

    /**
     * EidCrlComplete (RFC 5280 5.2.4): a delta CRL lists only changes since a base CRL; alone it is not the
     * complete list, and Passerelle does not combine base and delta.
     */
    static void complete(X509CRL crl) {
        if (crl.getExtensionValue(Extension.deltaCRLIndicator.getId()) != null) {
            throw fail(COMPLETE, "a delta CRL is not a complete CRL");
        }
    }

    /**
     * EidCrlCriticalExtensions (RFC 5280 5.2 and 5.3): a CRL with a critical CRL or entry extension that is not
     * processed here must not be used for any certificate. (The one critical entry extension of the RFC,
     * certificateIssuer, only occurs in indirect CRLs, which are refused anyway.)
     */
    static void criticalExtensions(X509CRL crl) {
        Set<String> critical = crl.getCriticalExtensionOIDs();
        if (critical != null && !PROCESSED.containsAll(critical)) {
            throw fail(CRITICAL_EXTENSIONS, "CRL has an unsupported critical extension");
        }
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
        if (entries != null && entries.stream().anyMatch(CrlScope::hasCriticalExtension)) {
            throw fail(CRITICAL_EXTENSIONS, "CRL entry has an unsupported critical extension");
        }
    }

    private static boolean hasCriticalExtension(X509CRLEntry entry) {
        Set<String> critical = entry.getCriticalExtensionOIDs();
        return critical != null && !critical.isEmpty();
    }

    /**
     * EidCrlNotIndirect (RFC 5280 5.2.5 indirectCRL, 6.3.3 (b)(1)): an indirect CRL may list certificates of
     * other issuers, identified by entry extensions; not supported, so refused rather than misread.
     */
    static void notIndirect(IssuingDistributionPoint idp) {
        if (idp.isIndirectCRL()) {
            throw fail(NOT_INDIRECT, "indirect CRLs are not supported");
        }
    }

    /**
     * EidCrlScopeAllReasons (RFC 5280 5.2.5 onlySomeReasons, 6.3.3 (d)): a CRL that covers only some revocation
     * reasons cannot say a certificate is not revoked for the others.
     */
    static void allReasons(IssuingDistributionPoint idp) {
        if (idp.getOnlySomeReasons() != null) {
            throw fail(ALL_REASONS, "CRL covers only some revocation reasons");
        }
    }

    /**
     * EidCrlScopeCertificateKind (RFC 5280 5.2.5, 6.3.3 (b)(2)(ii)-(iv)): onlyContainsUserCerts does not cover a CA
     * certificate, onlyContainsCACerts does not cover a card, onlyContainsAttributeCerts covers neither.
     */
    static void certificateKind(IssuingDistributionPoint idp, X509Certificate certificate) {
        boolean ca = certificate.getBasicConstraints() != -1;
        if (idp.onlyContainsAttributeCerts()) {
            throw fail(CERTIFICATE_KIND, "CRL covers only attribute certificates");
        }
        if (idp.onlyContainsUserCerts() && ca) {
            throw fail(CERTIFICATE_KIND, "CRL covers only end-entity certificates, not this CA certificate");
        }
        if (idp.onlyContainsCACerts() && !ca) {
            throw fail(CERTIFICATE_KIND, "CRL covers only CA certificates, not this end-entity certificate");
        }
    }

    /**
     * EidCrlScopeDistributionPoint (RFC 5280 5.2.5, 6.3.3 (b)(2)(i)): when the CRL names its distribution point,
     * one of those names must be a name of the certificate's distribution point the CRL was fetched from; else
     * it is another partition of the issuer's CRLs. A name relative to the CRL issuer is not supported.
     */
    static void distributionPoint(IssuingDistributionPoint idp, X509Certificate certificate, URI fetchedFrom) {
        DistributionPointName name = idp.getDistributionPoint();
        if (name == null) {
            return;
        }
        if (name.getType() != DistributionPointName.FULL_NAME) {
            throw fail(DISTRIBUTION_POINT, "CRL distribution point name relative to the issuer is not supported");
        }
        List<GeneralName> crlNames = List.of(GeneralNames.getInstance(name.getName()).getNames());
        for (GeneralName certificateName : pointNames(certificate, fetchedFrom)) {
            if (crlNames.contains(certificateName)) {
                return;
            }
        }
        throw fail(DISTRIBUTION_POINT, "CRL is for another distribution point than the certificate's");
    }

    /** The full names of the certificate's distribution point that lists {@code fetchedFrom} (RFC 5280 4.2.1.13). */
    private static List<GeneralName> pointNames(X509Certificate certificate, URI fetchedFrom) {
        try {
            for (List<GeneralName> names : distributionPoints(certificate)) {
                if (names.stream().anyMatch(n -> n.getTagNo() == GeneralName.uniformResourceIdentifier
                        && ASN1IA5String.getInstance(n.getName()).getString().equals(fetchedFrom.toString()))) {
                    return names;
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw fail(DISTRIBUTION_POINT, "malformed CRL distribution points in the certificate");
        }
        return List.of();
    }

    /**
     * The full names of each of the certificate's CRL distribution points (RFC 5280 4.2.1.13), in order;
     * points named relative to the issuer are skipped. Shared by fetching ({@code RevocationChecker}) and
     * by this scope check, so both read the extension the same way.
     *
     * @throws IOException or IllegalArgumentException when the extension is malformed
     */
    static List<List<GeneralName>> distributionPoints(X509Certificate certificate) throws IOException {
        byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (value == null) {
            return List.of();
        }
        List<List<GeneralName>> points = new java.util.ArrayList<>();
        for (DistributionPoint point : CRLDistPoint.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value))
                .getDistributionPoints()) {
            DistributionPointName name = point.getDistributionPoint();
            if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                points.add(List.of(GeneralNames.getInstance(name.getName()).getNames()));
            }
        }
        return points;
    }

    private static IssuingDistributionPoint idp(X509CRL crl) {
        byte[] value = crl.getExtensionValue(Extension.issuingDistributionPoint.getId());
        if (value == null) {
            return null;
        }
        try {
            return IssuingDistributionPoint.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value));
        } catch (IOException | IllegalArgumentException e) {
            throw fail(CrlCheck.WELL_FORMED, "malformed issuing distribution point");
        }
    }

    private static ConnectorException fail(String check, String message) {
        return new ConnectorException(Kind.INVALID_RESPONSE, check, message);
    }
}

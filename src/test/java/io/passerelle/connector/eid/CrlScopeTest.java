package io.passerelle.connector.eid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.ReasonFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.passerelle.demo.DemoCertificates;
import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;
import io.passerelle.demo.DemoCertificates.Issued;

/**
 * The CRL checks of {@link CrlCheck} and {@link CrlScope}, one named rule at a time (RFC 5280 5.2, 5.2.5, 6.3.3),
 * on CRLs signed in the test; no network.
 */
class CrlScopeTest {

    private static final String CRL_URL = "http://crl.test/citizen.crl";
    private static final String ARL_URL = "http://crl.test/root.crl";
    private static final TestPki PKI = new TestPki("http://ocsp.test/", CRL_URL, ARL_URL);
    private static final Issued CARD = PKI.card(PKI.citizen());
    private static final RevocationSettings SETTINGS = RevocationSettings.defaults(List.of("http://crl.test/"));

    private static CrlCheck.VerifiedCrl verified(Issued signer, Issued issuer, Extension... extensions) {
        return CrlCheck.verify(PKI.crl(signer, false, extensions), URI.create(CRL_URL), issuer.certificate(), SETTINGS,
                Instant.now());
    }

    private static RevocationStatus cardStatus(Extension... extensions) {
        return verified(PKI.citizenCa, PKI.citizenCa, extensions).status(CARD.certificate());
    }

    private static void refusedBy(String check, Executable action) {
        assertThatThrownBy(action::execute).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.check()).isEqualTo(check);
            assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
            assertThat(check).as("shown to the citizen as 'status could not be established'").startsWith("EidCrl");
        });
    }

    private static Extension idp(DistributionPointName name, boolean userCerts, boolean caCerts, ReasonFlags reasons,
                                 boolean indirect, boolean attributeCerts) {
        try {
            return new Extension(Extension.issuingDistributionPoint, true, new IssuingDistributionPoint(name, userCerts,
                    caCerts, reasons, indirect, attributeCerts).getEncoded());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DistributionPointName named(String url) {
        return new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, url)));
    }

    @Test
    void aCompleteCrlOfTheIssuerAnswersGoodAndRevoked() {
        assertThat(cardStatus()).isEqualTo(RevocationStatus.GOOD);
        assertThat(cardStatus(idp(named(CRL_URL), true, false, null, false, false)))
                .as("an IDP naming the card's own distribution point, user certificates only")
                .isEqualTo(RevocationStatus.GOOD);
        PKI.revoked.add(CARD.certificate().getSerialNumber());
        try {
            assertThat(cardStatus()).isEqualTo(RevocationStatus.REVOKED);
        } finally {
            PKI.revoked.clear();
        }
    }

    @Test
    void issuerMustBeTheCertificatesCa() {
        // RFC 5280 6.3.3 (b)(1): the Foreigner CA's CRL says nothing about a Citizen CA card.
        refusedBy(CrlCheck.ISSUER, () -> verified(PKI.foreignerCa, PKI.citizenCa));
    }

    @Test
    void issuerMustBeAllowedToSignCrls() {
        // RFC 5280 6.3.3 (f): a CA key whose key usage lacks cRLSign must not vouch for a CRL.
        refusedBy(CrlCheck.ISSUER, () -> CrlCheck.issuer(
                new org.bouncycastle.cert.jcajce.JcaX509CRLConverter().getCRL(new org.bouncycastle.cert.X509CRLHolder(
                        PKI.crl(PKI.responder, false))), PKI.responder.certificate()));
    }

    @Test
    void signatureMustBeTheCasKey() {
        // Same name as the Citizen CA, other key: the issuer name matches, the signature does not.
        refusedBy(CrlCheck.SIGNATURE, () -> verified(PKI.otherCa, PKI.citizenCa));
    }

    @Test
    void garbageIsNotACrl() {
        refusedBy(CrlCheck.WELL_FORMED, () -> CrlCheck.verify("not a CRL".getBytes(), URI.create(CRL_URL),
                PKI.citizenCa.certificate(), SETTINGS, Instant.now()));
    }

    @Test
    void aDeltaCrlIsNotComplete() {
        Extension delta = new Extension(Extension.deltaCRLIndicator, true,
                encoded(new org.bouncycastle.asn1.x509.CRLNumber(BigInteger.ONE)));
        refusedBy(CrlScope.COMPLETE, () -> verified(PKI.citizenCa, PKI.citizenCa, delta));
    }

    @Test
    void anUnknownCriticalExtensionMakesTheCrlUnusable() {
        Extension unknown = new Extension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true,
                encoded(new DERSequence()));
        refusedBy(CrlScope.CRITICAL_EXTENSIONS, () -> verified(PKI.citizenCa, PKI.citizenCa, unknown));
    }

    @Test
    void anIndirectCrlIsRefused() {
        refusedBy(CrlScope.NOT_INDIRECT, () -> verified(PKI.citizenCa, PKI.citizenCa,
                idp(null, false, false, null, true, false)));
    }

    @Test
    void aCrlForSomeReasonsOnlyIsRefused() {
        refusedBy(CrlScope.ALL_REASONS, () -> verified(PKI.citizenCa, PKI.citizenCa,
                idp(null, false, false, new ReasonFlags(ReasonFlags.keyCompromise), false, false)));
    }

    @Test
    void aCaOnlyCrlDoesNotCoverACard() {
        refusedBy(CrlScope.CERTIFICATE_KIND, () -> cardStatus(idp(null, false, true, null, false, false)));
    }

    @Test
    void aUserOnlyCrlDoesNotCoverACaCertificate() {
        CrlCheck.VerifiedCrl userOnly = CrlCheck.verify(PKI.crl(PKI.root, false, idp(null, true, false, null, false, false)),
                URI.create(ARL_URL), PKI.root.certificate(), SETTINGS, Instant.now());
        refusedBy(CrlScope.CERTIFICATE_KIND, () -> userOnly.status(PKI.citizenCa.certificate()));
        CrlCheck.VerifiedCrl caOnly = CrlCheck.verify(PKI.crl(PKI.root, false, idp(named(ARL_URL), false, true, null,
                false, false)), URI.create(ARL_URL), PKI.root.certificate(), SETTINGS, Instant.now());
        assertThat(caOnly.status(PKI.citizenCa.certificate())).as("an ARL covers the CA").isEqualTo(RevocationStatus.GOOD);
    }

    @Test
    void anAttributeCertificateCrlCoversNoCard() {
        refusedBy(CrlScope.CERTIFICATE_KIND, () -> cardStatus(idp(null, false, false, null, false, true)));
    }

    @Test
    void aCrlOfAnotherDistributionPointIsAnotherPartition() {
        refusedBy(CrlScope.DISTRIBUTION_POINT, () -> cardStatus(idp(named("http://crl.test/citizen-2.crl"), false,
                false, null, false, false)));
        Issued noDistributionPoint = PKI.card(PKI.citizen().withCrlUrl(null));
        CrlCheck.VerifiedCrl partitioned = verified(PKI.citizenCa, PKI.citizenCa,
                idp(named(CRL_URL), false, false, null, false, false));
        refusedBy(CrlScope.DISTRIBUTION_POINT, () -> partitioned.status(noDistributionPoint.certificate()));
        DistributionPointName relative = new DistributionPointName(DistributionPointName.NAME_RELATIVE_TO_CRL_ISSUER,
                new org.bouncycastle.asn1.DERSet(new org.bouncycastle.asn1.x500.AttributeTypeAndValue(
                        org.bouncycastle.asn1.x500.style.BCStyle.CN, new org.bouncycastle.asn1.DERUTF8String("part 1"))));
        refusedBy(CrlScope.DISTRIBUTION_POINT, () -> cardStatus(idp(relative, false, false, null, false, false)));
    }

    private static byte[] encoded(org.bouncycastle.asn1.ASN1Object value) {
        try {
            return value.getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.passerelle.connector.eid;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way an eID card can be refused reaches the citizen as the page that says why: the connector tests assert
 * the check each certificate, OCSP and CRL outcome fails (CertificateChecksTest, RevocationCheckerTest,
 * CrlScopeTest), and this maps each check to the page, which says what happened and what to do in all four
 * languages. DemoEidEndToEndTest shows the pages for the demo cards.
 */
class EidRefusalsTest {

    @ParameterizedTest(name = "{0} ({1}) → {2}")
    @CsvSource({
            // the certificate itself
            "EidChainPresent, INVALID_RESPONSE, card-not-read",
            "EidCertificateWithinValidity, INVALID_RESPONSE, card-expired",
            "EidCertificateValidityStarted, INVALID_RESPONSE, card-not-yet-valid",
            "EidPathToTrustAnchor, INVALID_RESPONSE, card-unknown-issuer",
            "EidEndEntityNotCa, INVALID_RESPONSE, card-wrong-certificate",
            "EidKeyUsageAuthentication, INVALID_RESPONSE, card-wrong-certificate",
            "EidAuthenticationPolicy, INVALID_RESPONSE, card-wrong-certificate",
            // revoked card or revoked issuing CA; "unknown" from the issuer (suspended, not activated)
            "EidCertificateNotRevoked, INVALID_RESPONSE, card-revoked",
            "EidIssuingCaNotRevoked, INVALID_RESPONSE, card-revoked",
            "EidRevocationStatusKnown, INVALID_RESPONSE, card-status-unknown",
            // no usable answer from the issuer: OCSP outcomes (wrong signer, stale, nonce, malformed, down)...
            "EidRevocationStatusKnown, UNAVAILABLE, revocation-unknown",
            "EidOcspResponseSignature, INVALID_RESPONSE, revocation-unknown",
            "EidOcspFresh, INVALID_RESPONSE, revocation-unknown",
            "EidOcspNonce, INVALID_RESPONSE, revocation-unknown",
            "EidOcspResponseWellFormed, INVALID_RESPONSE, revocation-unknown",
            "EidOcspAvailable, UNAVAILABLE, revocation-unknown",
            // ...and CRL outcomes and scope
            "EidCrlAvailable, UNAVAILABLE, revocation-unknown",
            "EidCrlSignature, INVALID_RESPONSE, revocation-unknown",
            "EidCrlIssuer, INVALID_RESPONSE, revocation-unknown",
            "EidCrlFresh, INVALID_RESPONSE, revocation-unknown",
            "EidCrlWellFormed, INVALID_RESPONSE, revocation-unknown",
            "EidCrlComplete, INVALID_RESPONSE, revocation-unknown",
            "EidCrlScopeCertificateKind, INVALID_RESPONSE, revocation-unknown",
            "EidCrlScopeDistributionPoint, INVALID_RESPONSE, revocation-unknown",
    })
    void eachRefusalShowsItsPageInFourLanguages(String check, Kind kind, String reason) throws Exception {
        ConnectorException explained = EidRefusals.explained(new ConnectorException(kind, check, "refused"));
        assertThat(explained.citizenReason()).isEqualTo(reason);
        assertThat(explained.check()).as("the audit trail keeps the check").isEqualTo(check);
        assertThat(explained.kind()).isEqualTo(kind);
        for (String bundle : new String[] {"messages", "messages_fr", "messages_nl", "messages_de"}) {
            Properties messages = new Properties();
            try (var in = getClass().getResourceAsStream("/" + bundle + ".properties")) {
                messages.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            assertThat(messages.getProperty("login-error." + reason + ".what")).as(bundle).isNotBlank();
            assertThat(messages.getProperty("login-error." + reason + ".todo")).as(bundle).isNotBlank();
        }
    }

    @ParameterizedTest
    @CsvSource({"EidSubjectIdentity", "EidNationalNumber", "EidProxyCertificateHeader"})
    void aMalformedCertificateOrAProxyFaultKeepsTheGenericPage(String check) {
        assertThat(EidRefusals.explained(new ConnectorException(Kind.INVALID_RESPONSE, check, "refused"))
                .citizenReason()).isNull();
    }
}

package io.passerelle.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way an eID card can be refused reaches the citizen as the page that says why: the connector
 * tests assert the check each OCSP/CRL outcome fails (RevocationCheckerTest, CrlScopeTest), and this
 * maps each check to the error page the citizen reads.
 */
class BrokerReasonTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            // OCSP outcomes: unknown, wrong signer, stale, wrong or missing nonce, malformed, slow or down
            "EidRevocationStatusKnown, revocation-unknown",
            "EidOcspResponseSignature, revocation-unknown",
            "EidOcspFresh, revocation-unknown",
            "EidOcspNonce, revocation-unknown",
            "EidOcspResponseWellFormed, revocation-unknown",
            "EidOcspAvailable, revocation-unknown",
            // CRL outcomes and scope
            "EidCrlAvailable, revocation-unknown",
            "EidCrlSignature, revocation-unknown",
            "EidCrlIssuer, revocation-unknown",
            "EidCrlFresh, revocation-unknown",
            "EidCrlWellFormed, revocation-unknown",
            "EidCrlComplete, revocation-unknown",
            "EidCrlScopeCertificateKind, revocation-unknown",
            "EidCrlScopeDistributionPoint, revocation-unknown",
            // revoked card or revoked issuing CA
            "EidCertificateNotRevoked, card-revoked",
            "EidIssuingCaNotRevoked, card-revoked",
            // the certificate itself
            "EidCertificateWithinValidity, invalid-response",
            "EidPathToTrustAnchor, invalid-response",
            "EidKeyUsageAuthentication, invalid-response",
            "EidAuthenticationPolicy, invalid-response",
            "EidChainPresent, invalid-response",
    })
    void eachRefusalShowsItsPage(String check, String reason) throws Exception {
        String shown = Broker.reason(new ConnectorException(Kind.INVALID_RESPONSE, check, "refused"));
        assertThat(shown).isEqualTo(reason);
        for (String bundle : new String[] {"messages", "messages_fr", "messages_nl", "messages_de"}) {
            Properties messages = new Properties();
            try (var in = getClass().getResourceAsStream("/" + bundle + ".properties")) {
                messages.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            assertThat(messages.getProperty("login-error." + shown + ".what")).as(bundle).isNotBlank();
        }
    }
}

package io.passerelle.connector.eid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.passerelle.demo.DemoCertificates;
import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;
import io.passerelle.demo.DemoCertificates.Issued;

/**
 * EidIssuingCaNotRevoked (RFC 5280 6.1.3 (a)(3)): the Citizen CA itself is checked against the root's ARL, named
 * by the CA certificate's distribution point and allow-listed; WireMock serves the ARL. A card under a revoked
 * CA is refused even when its own OCSP answer is good, and an ARL that cannot be had fails closed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationOfIssuingCaTest {

    private final RevocationServer upstream = new RevocationServer();
    private final TestPki pki = upstream.pki;
    private final Issued card = pki.card(pki.citizen());
    private CertificateVerifier verifier;
    private RevocationChecker checker;

    @BeforeEach
    void fresh() {
        upstream.reset();
        upstream.ocspAnswers(0);
        checker = new RevocationChecker(upstream.settings(), Clock.systemUTC());
        verifier = new CertificateVerifier(pki.trust(), checker, Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        upstream.close();
    }

    private ConnectorException refused(Issued ca) {
        return catchThrowableOfType(ConnectorException.class,
                () -> checker.checkIssuingCa(ca.certificate(), pki.root.certificate()));
    }

    @Test
    void aGoodCaIsAcceptedAndItsArlIsCachedUntilNextUpdate() {
        verifier.verify(TestPki.chain(card, pki.citizenCa));
        verifier.verify(TestPki.chain(card, pki.citizenCa));
        checker.checkIssuingCa(pki.foreignerCa.certificate(), pki.root.certificate());
        assertThat(upstream.arlRequests()).as("one ARL fetch for both CAs and both logins").isEqualTo(1);
    }

    @Test
    void aCardUnderARevokedCaIsRefusedBeforeItsOwnOcspIsAsked() {
        pki.revoked.add(pki.citizenCa.certificate().getSerialNumber());
        upstream.arlServes(false);
        ConnectorException e = catchThrowableOfType(ConnectorException.class,
                () -> verifier.verify(TestPki.chain(card, pki.citizenCa)));
        assertThat(e.check()).isEqualTo(RevocationChecker.CA_NOT_REVOKED);
        assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
        assertThat(upstream.ocspRequests()).isZero();
        assertThat(refused(pki.foreignerCa)).as("the other CA is not revoked").isNull();
    }

    @Test
    void anUnreachableArlFailsClosed() {
        upstream.arlFails();
        ConnectorException e = catchThrowableOfType(ConnectorException.class,
                () -> verifier.verify(TestPki.chain(card, pki.citizenCa)));
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.check()).isEqualTo(CrlCheck.FETCH);
        assertThat(e.getMessage()).contains("issuing CA");
    }

    @Test
    void aStaleOrForeignArlFailsClosed() {
        upstream.arlServes(true);
        assertThat(refused(pki.citizenCa).check()).isEqualTo(CrlCheck.FRESH);

        fresh();
        upstream.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(RevocationServer.ARL_PATH))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withBody(pki.crl(pki.otherRoot, false))));
        assertThat(refused(pki.citizenCa).check()).as("signed by another root").isEqualTo(CrlCheck.ISSUER);
    }

    @Test
    void aCaWithoutAnAllowListedArlFailsClosed() {
        Issued bare = DemoCertificates.issuingCa("Citizen CA", "202402", pki.root);
        ConnectorException e = refused(bare);
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.check()).isEqualTo(RevocationChecker.STATUS_KNOWN);

        Issued elsewhere = DemoCertificates.issuingCa("Citizen CA", "202403", pki.root, "http://crl.example/root.crl");
        assertThat(refused(elsewhere).check()).isEqualTo(RevocationChecker.STATUS_KNOWN);
        assertThat(upstream.arlRequests()).isZero();
    }

    @Test
    void theRootIsATrustAnchorAndIsNotCheckedItself() {
        Issued direct = DemoCertificates.card(pki.citizen(), pki.root);
        TrustSettings trust = new TrustSettings(List.of(pki.root.certificate()), List.of(), CardTypeRule.defaults());
        CertificateVerifier byRoot = new CertificateVerifier(trust, checker, Clock.systemUTC());
        // A card signed by the root directly: only the card's own revocation is asked, never an ARL. (The test
        // responder signs for the Citizen CA only, so the card's OCSP answer is then refused: that is the card's check.)
        ConnectorException e = catchThrowableOfType(ConnectorException.class,
                () -> byRoot.verify(List.of(direct.certificate())));
        assertThat(e.check()).isEqualTo(OcspCheck.RESPONSE_SIGNATURE);
        assertThat(upstream.arlRequests()).isZero();
    }
}

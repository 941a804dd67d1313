package io.passerelle.connector.eid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
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
 * RFC 6960 (OCSP) and RFC 5280 6.3 (CRL) outcomes against WireMock, with answers signed in the test. Every
 * outcome other than "good" fails closed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationCheckerTest {

    private final RevocationServer upstream = new RevocationServer();
    private final TestPki pki = upstream.pki;
    private final Issued card = pki.card(pki.citizen());
    private RevocationChecker checker;

    @BeforeEach
    void fresh() {
        upstream.reset();
        checker = new RevocationChecker(upstream.settings(), Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        upstream.close();
    }

    private ConnectorException refused() {
        return catchThrowableOfType(ConnectorException.class, () -> checker.check(card.certificate(), pki.citizenCa.certificate()));
    }

    @Test
    void goodAnswerFromADelegatedResponderIsAcceptedAndCachedUntilNextUpdate() {
        upstream.ocspAnswers(0);
        checker.check(card.certificate(), pki.citizenCa.certificate());
        checker.check(card.certificate(), pki.citizenCa.certificate());
        assertThat(upstream.ocspRequests()).isEqualTo(1);
        assertThat(checker.cachedAnswers()).isEqualTo(1);
    }

    @Test
    void goodAnswerSignedByTheCaItselfIsAccepted() {
        pki.mode = TestPki.Mode.GOOD_BY_CA;
        upstream.ocspAnswers(0);
        checker.check(card.certificate(), pki.citizenCa.certificate());
    }

    @Test
    void revokedIsRefusedAndCrlIsNotAskedToOverrule() {
        pki.revoked.add(card.certificate().getSerialNumber());
        upstream.ocspAnswers(0);
        upstream.crlServes(pki.citizenCa, false);
        ConnectorException e = refused();
        assertThat(e.check()).isEqualTo(RevocationChecker.NOT_REVOKED);
        assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
    }

    @Test
    void badOcspAnswersFailClosedWhenTheCrlIsDownToo() {
        record Case(TestPki.Mode mode, String check) {
        }
        for (Case c : List.of(new Case(TestPki.Mode.UNKNOWN, RevocationChecker.STATUS_KNOWN),
                new Case(TestPki.Mode.WRONG_SIGNER, OcspCheck.RESPONSE_SIGNATURE),
                new Case(TestPki.Mode.STALE, OcspCheck.FRESH),
                new Case(TestPki.Mode.WRONG_NONCE, OcspCheck.NONCE),
                new Case(TestPki.Mode.NO_NONCE, OcspCheck.NONCE),
                new Case(TestPki.Mode.MALFORMED, OcspCheck.RESPONSE_WELL_FORMED))) {
            fresh();
            pki.mode = c.mode();
            upstream.ocspAnswers(0);
            upstream.crlFails();
            ConnectorException e = refused();
            assertThat(e).as(c.mode().name()).isNotNull();
            assertThat(e.check()).as(c.mode().name()).isEqualTo(c.check());
            assertThat(e.kind()).as(c.mode().name()).isEqualTo(Kind.INVALID_RESPONSE);
            assertThat(checker.cachedAnswers()).isZero();
        }
    }

    @Test
    void slowResponderTimesOutAndFailsClosedAsUnavailable() {
        upstream.ocspAnswers(3000);
        upstream.crlFails();
        long start = System.nanoTime();
        ConnectorException e = refused();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.check()).isEqualTo(OcspCheck.FETCH);
    }

    @Test
    void responderDownOrFailingIsUnavailable() throws Exception {
        upstream.ocspFails(503);
        upstream.crlFails();
        assertThat(refused().kind()).isEqualTo(Kind.UNAVAILABLE);

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String down = "http://localhost:" + closed;
        TestPki elsewhere = new TestPki(down + "/ocsp", down + "/crl/citizen.crl");
        Issued orphan = DemoCertificates.card(elsewhere.citizen(), pki.citizenCa);
        RevocationSettings settings = new RevocationSettings(List.of(down + "/"), null, Duration.ofMillis(300),
                Duration.ofMillis(300), true, Duration.ofMinutes(2), Duration.ofMinutes(10), 10, 1024);
        ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> new RevocationChecker(settings,
                Clock.systemUTC()).check(orphan.certificate(), pki.citizenCa.certificate()));
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    }

    @Test
    void crlIsTheFallbackWhenOcspIsDown() {
        upstream.ocspFails(500);
        upstream.crlServes(pki.citizenCa, false);
        checker.check(card.certificate(), pki.citizenCa.certificate());

        fresh();
        pki.revoked.add(card.certificate().getSerialNumber());
        upstream.ocspFails(500);
        upstream.crlServes(pki.citizenCa, false);
        assertThat(refused().check()).isEqualTo(RevocationChecker.NOT_REVOKED);
    }

    @Test
    void crlSignedBySomeoneElseOrStaleIsRefused() {
        upstream.ocspFails(500);
        upstream.crlServes(pki.otherCa, false);
        assertThat(refused().check()).isEqualTo(CrlCheck.SIGNATURE);

        fresh();
        upstream.ocspFails(500);
        upstream.crlServes(pki.citizenCa, true);
        assertThat(refused().check()).isEqualTo(CrlCheck.FRESH);
    }

    @Test
    void urlsOutsideTheAllowListAreNeverFetched() {
        upstream.ocspAnswers(0);
        upstream.crlServes(pki.citizenCa, false);
        RevocationSettings narrow = new RevocationSettings(List.of("http://ocsp.eid.belgium.be/"), null,
                Duration.ofMillis(500), Duration.ofMillis(500), true, Duration.ofMinutes(2), Duration.ofMinutes(10), 10, 1024);
        RevocationChecker strict = new RevocationChecker(narrow, Clock.systemUTC());
        assertThatThrownBy(() -> strict.check(card.certificate(), pki.citizenCa.certificate()))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
                    assertThat(e.check()).isEqualTo(RevocationChecker.STATUS_KNOWN);
                });
        assertThat(upstream.ocspRequests()).isZero();
        assertThat(narrow.allowed(java.net.URI.create("http://ocsp.eid.belgium.be.evil.example/"))).isFalse();
        assertThat(narrow.allowed(java.net.URI.create("http://ocsp.eid.belgium.be/../x"))).isFalse();
        assertThat(narrow.allowed(java.net.URI.create("file:///etc/passwd"))).isFalse();
    }
}

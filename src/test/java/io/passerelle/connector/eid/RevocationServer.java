package io.passerelle.connector.eid;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.passerelle.demo.DemoCertificates;
import io.passerelle.demo.DemoCertificates.Issued;

/**
 * WireMock as the eID OCSP responder and CRL server: OCSP answers are built and signed per request by
 * {@link TestPki} (so they echo the request's nonce), CRLs are served as stubbed.
 */
public final class RevocationServer implements AutoCloseable {

    /** Where the issuing CAs' distribution point says the root's ARL is. */
    public static final String ARL_PATH = "/crl/root.crl";

    public final WireMockServer server;
    public final TestPki pki;
    public final String base;

    public RevocationServer() {
        OcspAnswer answer = new OcspAnswer();
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(answer));
        server.start();
        base = "http://localhost:" + server.port();
        pki = new TestPki(base + "/ocsp", base + "/crl/citizen.crl", base + ARL_PATH);
        answer.pki = pki;
        arlServes(false);
        warmUp();
    }

    /**
     * One request before the tests': WireMock's first answer (its handlers start) can take longer than the
     * connector's 700 ms read timeout on a busy machine, which failed the first sign-in of a class at random.
     */
    private void warmUp() {
        try {
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + ARL_PATH)).timeout(Duration.ofSeconds(30)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        server.resetRequests(); // the tests count requests
    }

    public RevocationSettings settings() {
        return new RevocationSettings(List.of(base + "/ocsp", base + "/crl/"), null, Duration.ofMillis(500),
                Duration.ofMillis(700), true, Duration.ofMinutes(2), Duration.ofMinutes(10), 100, 1024 * 1024);
    }

    /** OCSP answers per {@link TestPki#mode}, after {@code delayMs}. */
    public void ocspAnswers(int delayMs) {
        server.stubFor(post(urlPathEqualTo("/ocsp")).willReturn(aResponse().withStatus(200).withFixedDelay(delayMs)
                .withHeader("Content-Type", "application/ocsp-response").withTransformers("ocsp")));
    }

    public void ocspFails(int status) {
        server.stubFor(post(urlPathEqualTo("/ocsp")).willReturn(aResponse().withStatus(status)));
    }

    public void crlServes(Issued signer, boolean stale) {
        server.stubFor(get(urlPathEqualTo("/crl/citizen.crl")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/pkix-crl").withBody(pki.crl(signer, stale))));
    }

    /** The root's ARL (a CRL of {@link TestPki#revoked}, signed by the root); served from the start. */
    public void arlServes(boolean stale) {
        server.stubFor(get(urlPathEqualTo(ARL_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/pkix-crl").withBody(pki.crl(pki.root, stale))));
    }

    public void arlFails() {
        server.stubFor(get(urlPathEqualTo(ARL_PATH)).willReturn(aResponse().withStatus(503)));
    }

    public int arlRequests() {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo(ARL_PATH))).size();
    }

    /** The citizen CRL with extra CRL extensions (e.g. an issuing distribution point). */
    public void crlServes(Issued signer, org.bouncycastle.asn1.x509.Extension... extensions) {
        server.stubFor(get(urlPathEqualTo("/crl/citizen.crl")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/pkix-crl").withBody(pki.crl(signer, false, extensions))));
    }

    public void crlFails() {
        server.stubFor(get(urlPathEqualTo("/crl/citizen.crl")).willReturn(aResponse().withStatus(404)));
    }

    public int ocspRequests() {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo("/ocsp"))).size();
    }

    public void reset() {
        server.resetAll();
        pki.revoked.clear();
        pki.mode = TestPki.Mode.GOOD_BY_DELEGATE;
        arlServes(false);
    }

    @Override
    public void close() {
        server.stop();
    }

    private static final class OcspAnswer implements ResponseDefinitionTransformerV2 {
        volatile TestPki pki;

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            return ResponseDefinitionBuilder.like(event.getResponseDefinition())
                    .withBody(pki.answer(event.getRequest().getBody())).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return "ocsp";
        }
    }
}

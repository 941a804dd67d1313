package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;

import io.passerelle.PasserelleApplication;
import io.passerelle.demo.DemoCertificates;
import io.passerelle.demo.DemoCertificates.Issued;
import io.passerelle.connector.eid.RevocationServer;
import io.passerelle.connector.eid.TestPki;
import testonly.TestSignInConfiguration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The portal's sign-in with an eID card: a real TLS 1.2 handshake with a client certificate (a freshly
 * generated card, EC and RSA) against the eID listener, OCSP answered by WireMock with responses signed in the
 * test, and the portal ending with a verified ID token at LoA high. Revoked cards, an unreachable responder, a
 * browser without a card and a forged certificate header sign nobody in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EidEndToEndTest {

    private static final char[] PASSWORD = "test-only".toCharArray();
    private final PortalFixture fixture = new PortalFixture();
    private final RevocationServer revocation = new RevocationServer();
    private final TestPki pki = revocation.pki;
    private final Issued tls = DemoCertificates.tlsServer("localhost", pki.root);
    private int eidPort;
    private ConfigurableApplicationContext gateway;
    private PortalClient portal;

    @BeforeAll
    void start() throws Exception {
        eidPort = freePort();
        Path certs = Files.createTempDirectory("passerelle-eid");
        Path rootPem = pem(certs.resolve("root.pem"), pki.root.certificate());
        Path casPem = pem(certs.resolve("cas.pem"), pki.citizenCa.certificate(), pki.foreignerCa.certificate());
        Path serverP12 = p12(certs.resolve("tls.p12"), tls, pki.root.certificate());
        // eid-fresh: the same card path, with a revocation cache of its own that no other test warms, for the
        // issuing-CA cases (the connector rightly keeps the root's ARL until its nextUpdate).
        for (String id : List.of("eid-card", "eid-fresh")) {
            Files.writeString(fixture.configDir.resolve("connectors/" + id + ".yml"), """
                    id: %s
                    type: eid
                    display_name: {en: eID card, fr: Carte eID, nl: eID-kaart, de: eID-Karte}
                    loa: high
                    listener_url: https://localhost:%d
                    trust_anchors: [%s]
                    issuing_cas: [%s]
                    revocation:
                      allowed_url_prefixes: ['%s/ocsp', '%s/crl/']
                      connect_timeout: 300ms
                      read_timeout: 700ms
                    """.formatted(id, eidPort, rootPem, casPem, revocation.base, revocation.base));
        }
        gateway = new SpringApplicationBuilder(PasserelleApplication.class, TestSignInConfiguration.class).run(
                "--passerelle.config-file=target/no-operator-config.yml", "--server.port=" + fixture.port,
                "--passerelle.issuer=" + fixture.issuer, "--passerelle.config-dir=" + fixture.configDir,
                "--REGION_PORTAL_SECRET=" + PortalFixture.REGION_SECRET,
                "--passerelle.keys.master-key=" + AbstractIssuerIntegrationTest.randomMasterKey(),
                "--spring.datasource.url=jdbc:h2:mem:eid-e2e-" + fixture.port + ";DB_CLOSE_DELAY=-1",
                "--passerelle.eid-listener.port=" + eidPort, "--passerelle.eid-listener.key-store=" + serverP12,
                "--passerelle.eid-listener.key-store-password=" + new String(PASSWORD),
                "--passerelle.eid-listener.trusted-cas=" + rootPem + "," + casPem,
                "--passerelle.eid-listener.proxy-header=X-Client-Cert");
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        revocation.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        revocation.reset();
        portal = new PortalClient(fixture).connect();
    }

    @Test
    void citizenWithAnEcCardSignsInAtHigh() throws Exception {
        revocation.ocspAnswers(0);
        EidLogin login = start(pki.card(pki.citizen()));
        HttpResponse<String> eid = login.presentCard();
        assertThat(eid.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.2");
        IDTokenClaimsSet claims = login.finish(eid);
        assertThat(claims.getACR().getValue()).isEqualTo(PortalClient.LOA_HIGH);
        assertThat(claims.getStringListClaim("amr")).contains("hwk", "sc", "pin");
        assertThat(claims.getStringClaim("national_number")).as("from the card, released under a legal basis")
                .matches("\\d{11}");
        assertThat(claims.getStringClaim("family_name")).isNotBlank();
        assertThat(claims.toJSONObject()).as("not in the allowlist").doesNotContainKey("eid_card_type");
        assertThat(ssoProbe()).as("the probe the refusal tests use sees a signed-in citizen")
                .startsWith(PortalFixture.CALLBACK);
    }

    @Test
    void citizenWithAnRsaCardSignsInOverTls12WithPkcs1() throws Exception {
        revocation.ocspAnswers(0);
        EidLogin login = start(pki.card(pki.citizen().withRsaKey()));
        assertThat(login.finish(login.presentCard()).getACR().getValue()).isEqualTo(PortalClient.LOA_HIGH);
    }

    @Test
    void revokedCardUnreachableResponderAndNoCardShowAPageAndSignNobodyIn() throws Exception {
        Issued revoked = pki.card(pki.citizen());
        pki.revoked.add(revoked.certificate().getSerialNumber());
        revocation.ocspAnswers(0);
        revocation.crlFails();
        assertRefused(start(revoked).presentCard(), "has been revoked by its issuer");
        assertNobodySignedIn("revoked card");

        revocation.reset();
        revocation.ocspFails(503);
        revocation.crlFails();
        assertRefused(start(pki.card(pki.citizen())).presentCard(), "could not check with the card issuer");
        assertNobodySignedIn("responder down");

        EidLogin noCard = start(null);
        assertRefused(noCard.presentCard(), "No card was read");
        assertNobodySignedIn("no card");
    }

    @Test
    void unknownRevocationStatusAndARevokedIssuingCaShowAPageAndSignNobodyIn() throws Exception {
        // OCSP says "unknown" (RFC 6960 2.2) and the CRL is unreachable: the status is not established, fail closed.
        pki.mode = TestPki.Mode.UNKNOWN;
        revocation.ocspAnswers(0);
        revocation.crlFails();
        assertRefused(start(pki.card(pki.citizen())).presentCard(), "does not confirm that your card is active");
        assertNobodySignedIn("status unknown");

        // On eid-fresh, which has not cached the ARL yet: the ARL is unreachable, so the CA's status is unknown
        // and the card is refused like one without an answer (nothing is cached from a failure)...
        revocation.reset();
        revocation.ocspAnswers(0);
        revocation.arlFails();
        assertRefused(start(pki.card(pki.citizen()), "eid-fresh").presentCard(), "could not check with the card issuer");
        assertNobodySignedIn("ARL unreachable");

        // ...then the card's own OCSP answer is good, but the root's ARL lists its Citizen CA.
        revocation.reset();
        revocation.ocspAnswers(0);
        pki.revoked.add(pki.citizenCa.certificate().getSerialNumber());
        revocation.arlServes(false);
        assertRefused(start(pki.card(pki.citizen()), "eid-fresh").presentCard(), "has been revoked by its issuer");
        assertNobodySignedIn("revoked issuing CA");
        assertThat(revocation.ocspRequests()).as("refused before the card's own OCSP is asked").isZero();
    }

    private void assertNobodySignedIn(String why) throws Exception {
        assertThat(ssoProbe()).as(why + ": a new authorization request is not answered with a code")
                .doesNotStartWith(PortalFixture.CALLBACK);
    }

    /**
     * Where a new authorization request from this browser is sent: the portal's callback (single sign-on) when a
     * citizen is signed in, else on to sign in.
     */
    private String ssoProbe() throws Exception {
        URI authorize = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
                new ClientID(PortalFixture.CITY), URI.create(PortalFixture.CALLBACK)).state(new State())
                .nonce(new Nonce()).codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
                .endpointURI(portal.op.getAuthorizationEndpointURI()).build().toURI();
        return PortalClient.location(portal.get(authorize));
    }

    @Test
    void everyBadCardShowsAPageAndSignsNobodyIn() throws Exception {
        revocation.ocspAnswers(0);
        java.time.Instant now = java.time.Instant.now();
        record Bad(String name, io.passerelle.demo.DemoCertificates.CardSpec spec, String sentence) {
        }
        for (Bad bad : java.util.List.of(
                new Bad("expired", pki.citizen().validBetween(now.minus(java.time.Duration.ofDays(400)),
                        now.minus(java.time.Duration.ofDays(1))), "Your card has expired"),
                new Bad("not yet valid", pki.citizen().validBetween(now.plus(java.time.Duration.ofDays(1)),
                        now.plus(java.time.Duration.ofDays(400))), "Your card cannot be used yet"),
                new Bad("non-repudiation key usage", pki.citizen().withKeyUsage(
                        org.bouncycastle.asn1.x509.KeyUsage.nonRepudiation), "not your card&#39;s authentication certificate"),
                new Bad("wrong policy", pki.citizen().withPolicy("2.16.56.12.1.1.2.1"),
                        "not your card&#39;s authentication certificate"),
                new Bad("untrusted root", null, "not issued by an authority this service trusts"))) {
            EidLogin login = start(bad.spec() == null
                    ? io.passerelle.demo.DemoCertificates.card(pki.citizen(), pki.otherCa) : pki.card(bad.spec()));
            // Not refused by the TLS layer (a bare browser error): by the verifier, with a page.
            assertRefused(login.presentCard(), bad.sentence());
            String nationalNumber = (bad.spec() == null ? pki.citizen() : bad.spec()).nationalNumber();
            String asDerHex = java.util.HexFormat.of().formatHex(nationalNumber.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(gateway.getBean(io.passerelle.audit.AuditLog.class).since(now.minusSeconds(600), 10_000))
                    .as(bad.name() + ": the national number never reaches the audit trail")
                    .allSatisfy(e -> assertThat(e.toString()).doesNotContain(nationalNumber).doesNotContainIgnoringCase(asDerHex));
            assertThat(portal.get(URI.create(fixture.issuer + "/account?lang=en")).body())
                    .as(bad.name() + ": no one is signed in").contains("Sign in to see which websites received");
        }
    }

    @Test
    void certificateHeaderFromABrowserIsNotAccepted() throws Exception {
        revocation.ocspAnswers(0);
        Issued card = pki.card(pki.citizen());
        EidLogin login = start(card);
        String header = Base64.getEncoder().encodeToString(card.certificate().getEncoded());
        HttpResponse<String> forged = portal.browser.send(HttpRequest.newBuilder(URI.create(fixture.issuer
                + "/broker/eid/eid-card?state=" + login.eidState)).header("X-Client-Cert", header).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(404);
        // The login itself is still intact: the real card can finish it.
        assertThat(login.finish(login.presentCard()).getACR().getValue()).isEqualTo(PortalClient.LOA_HIGH);
    }

    private static void assertRefused(HttpResponse<String> page, String text) {
        // A revoked card cannot authenticate anyone (403); an unanswered revocation check is an outage (503).
        int status = text.contains("revoked") ? 403 : text.contains("could not check") ? 503 : 400;
        assertThat(page.statusCode()).as(page.body()).isEqualTo(status);
        assertThat(page.body()).contains(text).contains("PSL-").doesNotContain("Exception");
    }

    /** A new browser holding {@code card} (or no card), parked at the eID listener's URL. */
    private EidLogin start(Issued card) throws Exception {
        return start(card, "eid-card");
    }

    private EidLogin start(Issued card, String connectorId) throws Exception {
        EidLogin login = card == null ? EidLogin.start(portal, PortalFixture.CITY, connectorId, pki.root.certificate(), null)
                : EidLogin.start(portal, PortalFixture.CITY, connectorId, pki.root.certificate(), card.key(),
                        card.certificate(), pki.citizenCa.certificate());
        assertThat(login.eidUrl.toString()).startsWith("https://localhost:" + eidPort + "/broker/eid/" + connectorId
                + "?state=");
        return login;
    }

    private static Path pem(Path file, X509Certificate... certificates) throws Exception {
        StringBuilder text = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            text.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return Files.writeString(file, text);
    }

    private static Path p12(Path file, Issued server, X509Certificate root) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("tls", server.key(), PASSWORD, new Certificate[] {server.certificate(), root});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD);
        }
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;

import io.passerelle.PasserelleApplication;
import testonly.TestSignInConfiguration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.util.HtmlUtils;

/**
 * The shipped demo eID, as a new user meets it: the gateway starts with the demo on, the shipped
 * config/demo/ files and an empty demo PKI folder, generates the demo PKI itself, opens the eID listener on
 * the configured port and serves the demo cards; a browser that downloaded a card (over HTTP, password demo)
 * signs in with it over real TLS 1.2 at LoA high, the demo OCSP responder answering for it; each refused card
 * gets its own page in the citizen's language.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoEidEndToEndTest {

    private final PortalFixture fixture = new PortalFixture();
    private Path pkiDir;
    private int eidPort;
    private ConfigurableApplicationContext gateway;
    private PortalClient portal;
    private X509Certificate demoRoot;

    @BeforeAll
    void start() throws Exception {
        // The shipped demo files (connectors and the demo portal), beside the test portals of the fixture.
        FileSystemUtils.copyRecursively(Path.of("config/demo"), fixture.configDir.resolve("demo"));
        // The city serves children (minors: allow) and may know an age without the birth date (scope age); the
        // federal portal keeps the default, minors: refuse.
        Path city = fixture.configDir.resolve("clients/city-portal.yml");
        Files.writeString(city, Files.readString(city).replace("scope: [openid, profile, email, national_number]",
                "scope: [openid, profile, email, national_number, age]\nminors: allow"));
        // The federal portal accepts only the eID card (allowed_keys).
        Path federal = fixture.configDir.resolve("clients/federal-portal.yml");
        Files.writeString(federal, Files.readString(federal) + "allowed_keys: [demo-eid]\n");
        pkiDir = Files.createTempDirectory("passerelle-demo").resolve("data/demo-eid");
        try (ServerSocket socket = new ServerSocket(0)) {
            eidPort = socket.getLocalPort();
        }
        gateway = new SpringApplicationBuilder(PasserelleApplication.class, TestSignInConfiguration.class).run(
                "--passerelle.config-file=target/no-operator-config.yml", "--server.port=" + fixture.port,
                "--passerelle.issuer=" + fixture.issuer, "--passerelle.config-dir=" + fixture.configDir,
                "--passerelle.demo.enabled=true", "--passerelle.demo.eid-pki-dir=" + pkiDir,
                "--passerelle.eid-listener.port=" + eidPort,
                "--REGION_PORTAL_SECRET=" + PortalFixture.REGION_SECRET,
                "--passerelle.keys.master-key=" + AbstractIssuerIntegrationTest.randomMasterKey(),
                "--spring.datasource.url=jdbc:h2:mem:demo-eid-e2e-" + fixture.port + ";DB_CLOSE_DELAY=-1");
        demoRoot = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(download("root-ca.pem").body()));
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        FileSystemUtils.deleteRecursively(pkiDir.getParent().getParent());
    }

    @BeforeEach
    void fresh() throws Exception {
        portal = new PortalClient(fixture).connect();
    }

    @Test
    void theDemoStartedWithoutAPkiAndGeneratedOneForThisIssuer() throws Exception {
        Properties marker = new Properties();
        try (var in = Files.newBufferedReader(pkiDir.resolve("pki.properties"))) {
            marker.load(in);
        }
        assertThat(marker.getProperty("base-url")).isEqualTo(fixture.issuer);
        try (Stream<Path> files = Files.list(pkiDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("root-ca.pem", "kids-ca.pem",
                    "eid-listener-tls.p12", "card-valid.p12", "card-kids.p12", "card-untrusted-root.p12");
        }
        assertThat(download("citizen-ca.p12").statusCode()).as("only cards and the root are served").isEqualTo(404);
        assertThat(download("../citizen-ca.p12").statusCode()).isIn(400, 404);
    }

    @Test
    void theChooserOffersTheDemoEidCardAndThePortalPageListsTheCards() throws Exception {
        URI signin = URI.create(PortalClient.location(portal.get(portal.authorize(PortalFixture.CITY,
                PortalFixture.CALLBACK, new com.nimbusds.oauth2.sdk.pkce.CodeVerifier()))));
        assertThat(portal.get(signin).body()).contains("Demo eID card", "Demo mobile-ID");
        String page = portal.get(URI.create(fixture.issuer + "/demo/portal")).body();
        for (String card : io.passerelle.demo.DemoPki.CARDS) {
            assertThat(page).contains("/demo/eid/cards/" + card + ".p12");
        }
        assertThat(page).contains("password <code>demo</code>");
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({"kids, en", "kids, fr", "kids, nl", "kids, de", "valid-born-2003, en"})
    void aMinorIsNotSignedInToAPortalThatRefusesMinorsAndThePortalGetsAccessDenied(String card, String language)
            throws Exception {
        EidLogin login = start(card, language, PortalFixture.FEDERAL, new Scope("openid"));
        HttpResponse<String> page = login.presentCard();
        if (card.equals("valid-born-2003")) {
            // Born in 2003: an adult, signed in.
            assertThat(page.statusCode()).as(page.body()).isEqualTo(302);
            return;
        }
        assertThat(page.statusCode()).isEqualTo(400);
        Properties messages = messages(language);
        assertThat(page.body()).contains(HtmlUtils.htmlEscape(messages.getProperty("login-error.minor-refused.what"), "UTF-8"))
                .contains(HtmlUtils.htmlEscape(messages.getProperty("login-error.minor-refused.todo"), "UTF-8"))
                .containsPattern("PSL-[0-9A-Z]{8}");
        String back = PortalClient.location(portal.get(URI.create(fixture.issuer + H2CitizenPagesTest.href(page,
                "/broker/abandon"))));
        assertThat(back).startsWith(PortalFixture.CALLBACK + "?").contains("error=access_denied");
        assertThat(portal.upstreamFrom(portal.get(portal.authorize(PortalFixture.FEDERAL, PortalFixture.CALLBACK,
                new com.nimbusds.oauth2.sdk.pkce.CodeVerifier()))).toString())
                .as("nobody signed in: sent to sign in again").doesNotStartWith(PortalFixture.CALLBACK);
    }

    @Test
    void aPortalsAllowedKeysAreTheOnlyOnesOfferedAndAHintForAnotherIsRefused() throws Exception {
        // One key left of the two demo keys and the two test keys: the chooser is skipped, straight to the eID listener.
        assertThat(portal.upstreamFrom(portal.get(portal.authorize(PortalFixture.FEDERAL, PortalFixture.CALLBACK,
                new com.nimbusds.oauth2.sdk.pkce.CodeVerifier()))).toString())
                .startsWith("https://localhost:" + eidPort + "/broker/eid/demo-eid");
        String refused = PortalClient.location(portal.get(URI.create(portal.authorize(PortalFixture.FEDERAL,
                PortalFixture.CALLBACK, new com.nimbusds.oauth2.sdk.pkce.CodeVerifier()) + "&idp_hint=demo-mobile-id")));
        assertThat(refused).startsWith(PortalFixture.CALLBACK + "?").contains("error=invalid_request")
                .contains("state=");
        assertThat(PortalClient.location(portal.get(URI.create(portal.authorize(PortalFixture.CITY,
                PortalFixture.CALLBACK, new com.nimbusds.oauth2.sdk.pkce.CodeVerifier()) + "&idp_hint=demo-mobile-id"))))
                .as("the city accepts every key").doesNotContain("error=");
    }

    @Test
    void agesAreReleasedWithoutTheBirthDateWhereTheScopeAllows() throws Exception {
        Scope ageOnly = new Scope("openid", "age");
        EidLogin kid = start("kids", null, PortalFixture.CITY, ageOnly);
        IDTokenClaimsSet child = kid.finish(kid.presentCard());
        assertThat(child.getBooleanClaim("age_over_12")).isFalse();
        assertThat(child.getBooleanClaim("age_over_16")).isFalse();
        assertThat(child.getBooleanClaim("age_over_18")).isFalse();
        assertThat(child.toJSONObject()).doesNotContainKeys("birthdate", "national_number", "eid_card_type");
        // Signed in as a child at the city (minors: allow), the same browser is refused at the federal portal
        // (minors: refuse) without a new sign-in: single sign-on does not carry a child past the portal's policy.
        assertThat(PortalClient.location(portal.get(portal.authorize(PortalFixture.FEDERAL, PortalFixture.CALLBACK,
                new com.nimbusds.oauth2.sdk.pkce.CodeVerifier())))).startsWith(PortalFixture.CALLBACK + "?")
                .contains("error=access_denied");

        EidLogin adult = start("valid", null, PortalFixture.CITY, ageOnly);
        IDTokenClaimsSet grownUp = adult.finish(adult.presentCard());
        assertThat(grownUp.getBooleanClaim("age_over_18")).isTrue();
        assertThat(grownUp.getBooleanClaim("age_over_12")).isTrue();

        EidLogin withProfile = start("valid", null, PortalFixture.CITY, new Scope("openid", "profile"));
        IDTokenClaimsSet profile = withProfile.finish(withProfile.presentCard());
        assertThat(profile.getStringClaim("birthdate")).as("from the national number").isEqualTo("1985-07-30");
        assertThat(profile.toJSONObject()).as("the age scope was not asked").doesNotContainKey("age_over_18");
    }

    /**
     * The second demo portal, as shipped (its redirect URIs follow the issuer): the consent page shows its legal
     * basis, and the demo portal shows the national number it received in the ID token it verified.
     */
    @Test
    void theFederalDemoPortalShowsTheLegalBasisAndReceivesTheNationalNumber() throws Exception {
        KeyStore card = card("valid");
        EidLogin.holdCard(portal, demoRoot, (PrivateKey) card.getKey("key", "demo".toCharArray()),
                card.getCertificateChain("key"));
        portal.autoConsent = false;
        String authorize = PortalClient.location(portal.get(URI.create(fixture.issuer
                + "/demo/portal/login?portal=federal")));
        assertThat(authorize).contains("client_id=demo-federal-portal").contains("national_number");
        // The citizen picks the demo eID card (the chooser's choice, given here as the hint).
        URI eid = portal.upstreamFrom(portal.get(URI.create(authorize + "&idp_hint=demo-eid")));
        HttpResponse<String> resumed = portal.get(URI.create(PortalClient.location(portal.get(eid))));
        assertThat(PortalClient.location(resumed)).contains("/consent?login=");
        assertThat(portal.consentPage().body()).contains("DEMO: fictitious decree of 1 January 2026");
        HttpResponse<String> answered = portal.answerConsent("allow", claim -> true);
        String back = PortalClient.location(portal.get(URI.create(fixture.issuer + "/consent")
                .resolve(PortalClient.location(answered))));
        assertThat(back).startsWith(fixture.issuer + "/demo/portal/federal/callback?code=");
        String page = portal.get(URI.create(back)).body();
        assertThat(page).contains("Verified ID token (demo-federal-portal)").contains("national_number")
                .contains(io.passerelle.connector.eid.NationalNumber.withCheckDigits("850730033", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"valid", "valid-rsa", "foreigner", "kids"})
    void aDownloadedDemoCardSignsInAtHigh(String card) throws Exception {
        EidLogin login = start(card);
        assertThat(login.eidUrl.toString()).startsWith("https://localhost:" + eidPort + "/broker/eid/demo-eid?state=");
        HttpResponse<String> eid = login.presentCard();
        assertThat(eid.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.2");
        IDTokenClaimsSet claims = login.finish(eid);
        assertThat(claims.getACR().getValue()).isEqualTo(PortalClient.LOA_HIGH);
        assertThat(claims.getStringClaim("national_number")).matches("\\d{11}");
        assertThat(claims.getStringClaim("family_name")).isEqualTo("SPECIMEN");
    }

    static Stream<Arguments> refusedCards() {
        List<String[]> cards = List.of(new String[] {"expired", "card-expired"},
                new String[] {"not-yet-valid", "card-not-yet-valid"}, new String[] {"revoked", "card-revoked"},
                new String[] {"wrong-key-usage", "card-wrong-certificate"},
                new String[] {"wrong-policy", "card-wrong-certificate"},
                new String[] {"untrusted-root", "card-unknown-issuer"}, new String[] {"none", "card-not-read"});
        return cards.stream().flatMap(card -> Stream.of("en", "fr", "nl", "de")
                .map(language -> Arguments.of(card[0], language, card[1])));
    }

    /** Each refused demo card gets its own page: what went wrong and what to do, in the citizen's language. */
    @ParameterizedTest(name = "{0} in {1}: {2}")
    @MethodSource("refusedCards")
    void eachRefusedCardGetsItsOwnSentenceInTheCitizensLanguage(String card, String language, String reason)
            throws Exception {
        HttpResponse<String> page = start(card, language).presentCard();
        // 400 for a card that fails a check, 403 for a revoked one (issue 13's statuses)
        assertThat(page.statusCode()).as(page.body()).isEqualTo(io.passerelle.broker.LoginFailure.status(reason));
        Properties messages = messages(language);
        for (String part : List.of(".what", ".todo")) {
            String sentence = messages.getProperty("login-error." + reason + part);
            assertThat(sentence).as(reason + part + " in " + language).isNotBlank();
            assertThat(page.body()).contains(HtmlUtils.htmlEscape(sentence, "UTF-8"));
        }
        assertThat(page.body()).contains("lang=\"" + language + "\"").containsPattern("PSL-[0-9A-Z]{8}")
                .doesNotContain("Exception");
    }

    private Properties messages(String language) throws Exception {
        Properties messages = new Properties();
        try (var in = getClass().getResourceAsStream("/messages" + ("en".equals(language) ? "" : "_" + language)
                + ".properties")) {
            messages.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return messages;
    }

    /** A new browser holding the downloaded demo card {@code name}, parked at the demo eID listener. */
    EidLogin start(String name) throws Exception {
        return start(name, null);
    }

    EidLogin start(String name, String language) throws Exception {
        return start(name, language, PortalFixture.CITY, new Scope("openid", "profile", "national_number"));
    }

    /** The same, for {@code clientId} asking {@code scope} and pages in {@code language}; card "none": no card. */
    EidLogin start(String name, String language, String clientId, Scope scope) throws Exception {
        if ("none".equals(name)) {
            return EidLogin.start(portal, clientId, scope, "demo-eid", language, demoRoot, null);
        }
        KeyStore card = card(name);
        return EidLogin.start(portal, clientId, scope, "demo-eid", language, demoRoot,
                (PrivateKey) card.getKey("key", "demo".toCharArray()), card.getCertificateChain("key"));
    }

    /** The demo card {@code name}, downloaded as a citizen does (password demo). */
    private KeyStore card(String name) throws Exception {
        HttpResponse<byte[]> p12 = download(name + ".p12");
        assertThat(p12.statusCode()).isEqualTo(200);
        assertThat(p12.headers().firstValue("Content-Type")).hasValue("application/x-pkcs12");
        KeyStore card = KeyStore.getInstance("PKCS12");
        card.load(new ByteArrayInputStream(p12.body()), "demo".toCharArray());
        return card;
    }

    private HttpResponse<byte[]> download(String file) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fixture.issuer + "/demo/eid/cards/"
                + file)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}

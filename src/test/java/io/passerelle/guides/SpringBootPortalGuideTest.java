package io.passerelle.guides;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import example.cityportal.BackChannelLogouts;
import example.cityportal.CityPortalApplication;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot portal guide (docs/portals/spring-boot), compiled by this build, run as written against a
 * real Passerelle: a citizen signs in through the portal with the demo mobile-ID, the portal shows the
 * claims of the ID token it verified (acr included), signs out through Passerelle's end_session_endpoint,
 * and receives the back-channel logout. One gateway and one portal for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringBootPortalGuideTest {

    static final Path GUIDE = Path.of("docs/portals/spring-boot");
    static final String SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial";

    private GuideGateway gateway;
    private ConfigurableApplicationContext portal;
    private String portalUrl;
    private Path work;

    @BeforeAll
    void start() throws Exception {
        int portalPort = GuideGateway.freePort();
        portalUrl = "http://localhost:" + portalPort;
        gateway = new GuideGateway(GUIDE.resolve("passerelle/city-portal-spring.yml"), portalPort);
        work = Files.createTempDirectory("spring-portal");
        Path key = work.resolve("portal-key.pem");
        var rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder()
                .encodeToString(rsa.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        // The guide's application.yml, as the portal's own project reads it; only the addresses and the key file
        // differ. The suite's classpath also holds the gateway's libraries (database, Flyway, Redis, the
        // authorization server), which a portal project does not have: their auto-configuration is turned off.
        portal = new SpringApplicationBuilder(CityPortalApplication.class).run(
                "--spring.config.location=file:" + GUIDE.resolve("src/main/resources/application.yml"),
                "--server.port=" + portalPort,
                "--spring.security.oauth2.client.provider.passerelle.issuer-uri=" + gateway.issuer,
                "--portal.client-key=" + key,
                "--spring.autoconfigure.exclude="
                        + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                        + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration,"
                        + "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
                        + "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration,"
                        + "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration");
    }

    @AfterAll
    void stop() throws Exception {
        if (portal != null) {
            portal.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (work != null) {
            org.springframework.util.FileSystemUtils.deleteRecursively(work);
        }
    }

    @Test
    void aCitizenSignsInThroughTheGuidePortalAndSignsOutThroughPasserelle() throws Exception {
        CitizenBrowser browser = new CitizenBrowser();
        CitizenBrowser.Page home = signIn(browser, "demo-anna");

        // The authorization request the portal sent: PKCE S256, a nonce and the level of assurance.
        URI authorize = home.visited().stream().filter(u -> u.toString().startsWith(gateway.issuer + "/oauth2/authorize?"))
                .findFirst().orElseThrow(() -> new AssertionError("never sent to Passerelle: " + home.visited()));
        assertThat(authorize.getQuery()).contains("code_challenge_method=S256", "code_challenge=", "nonce=",
                "acr_values=" + SUBSTANTIAL, "client_id=city-portal-spring");
        // The portal's page: the claims of the ID token it verified.
        assertThat(home.uri().resolve("/").toString()).isEqualTo(portalUrl + "/");
        assertThat(home.uri().getPath()).isEqualTo("/");
        // The level asked for (acr_values), which Passerelle asked of the mobile-ID provider and verified.
        assertThat(claim(home, "acr")).isEqualTo(SUBSTANTIAL);
        assertThat(home.body()).contains("<strong id=\"acr\">" + SUBSTANTIAL + "</strong>");
        assertThat(claim(home, "given_name")).isEqualTo("Anna");
        assertThat(claim(home, "family_name")).isEqualTo("Peeters");
        assertThat(claim(home, "iss")).isEqualTo(gateway.issuer);
        assertThat(claim(home, "aud")).contains("city-portal-spring");
        String sid = claim(home, "sid");
        assertThat(sid).isNotBlank();

        // Sign out: the portal sends the browser to Passerelle's end_session_endpoint with the ID token as hint,
        // Passerelle signs the citizen out and sends the browser back to the registered post_logout_redirect_uri.
        CitizenBrowser.Page signedOut = browser.submit(home, "/logout", null, null, v -> true);
        assertThat(signedOut.visited()).anyMatch(u -> u.toString().startsWith(gateway.issuer + "/connect/logout?")
                && u.getQuery().contains("id_token_hint=") && u.getQuery().contains("post_logout_redirect_uri="));
        assertThat(signedOut.uri().toString()).startsWith(portalUrl + "/signed-out");
        assertThat(signedOut.body()).contains("id=\"signed-out\"");
        // Passerelle told the portal by back-channel logout (a verified logout token for this session's sid).
        assertThat(awaitLogout(sid)).as("a back-channel logout token for sid " + sid + " reached the portal").isPresent();
        // Both sessions are over: the portal sends the browser to Passerelle, which asks which key to sign in with.
        CitizenBrowser.Page again = browser.open(URI.create(portalUrl + "/"));
        assertThat(again.uri().getPath()).isEqualTo("/signin");
        assertThat(again.uri().toString()).startsWith(gateway.issuer);
    }

    @Test
    void aSignOutAtPasserelleEndsThePortalSessionByBackChannelLogout() throws Exception {
        CitizenBrowser browser = new CitizenBrowser();
        CitizenBrowser.Page home = signIn(browser, "demo-luc");
        String sid = claim(home, "sid");
        assertThat(browser.open(URI.create(portalUrl + "/")).status()).as("signed in at the portal").isEqualTo(200);

        // The citizen signs out at Passerelle (as from another portal of the same session), not at this portal.
        CitizenBrowser.Page confirm = browser.open(URI.create(gateway.issuer + "/connect/logout"));
        CitizenBrowser.Page done = browser.submit(confirm, "/signout", "decision", "yes", v -> true);
        assertThat(done.status()).isEqualTo(200);

        Optional<BackChannelLogouts.Received> logout = awaitLogout(sid);
        assertThat(logout).as("a back-channel logout token for sid " + sid + " reached the portal").isPresent();
        assertThat(logout.get().sessionsEnded()).as("it found the citizen's portal session").isEqualTo(1);
        // Spring ends that session right after it checked the token (an internal logout call): wait for it.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (browser.status(URI.create(portalUrl + "/")) == 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        CitizenBrowser.Page again = browser.open(URI.create(portalUrl + "/"));
        assertThat(again.uri().getPath()).as("signed out of the portal: sent to sign in again").isEqualTo("/signin");
    }

    @Test
    void aLogoutTokenNotSignedByPasserelleIsRefused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(stranger.getKeyID())
                .type(new JOSEObjectType("logout+jwt")).build(), new JWTClaimsSet.Builder().issuer(gateway.issuer)
                .audience("city-portal-spring").issueTime(new java.util.Date()).jwtID("forged-1").claim("sid", "any")
                .claim("events", java.util.Map.of("http://schemas.openid.net/event/backchannel-logout", java.util.Map.of()))
                .build());
        forged.sign(new RSASSASigner(stranger));
        int before = portal.getBean(BackChannelLogouts.class).received().size();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(portalUrl + "/logout/connect/back-channel/passerelle"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("logout_token=" + forged.serialize())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(portal.getBean(BackChannelLogouts.class).received()).hasSize(before);
    }

    @Test
    void aForgedAuthorizationResponseSignsNobodyIn() throws Exception {
        CitizenBrowser browser = new CitizenBrowser();
        CitizenBrowser.Page answer = browser.open(URI.create(portalUrl + "/login/oauth2/code/passerelle?code=forged&state=forged&iss="
                + java.net.URLEncoder.encode(gateway.issuer, java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(answer.body()).doesNotContain("id=\"claim-");
        assertThat(answer.visited()).as("no state of this browser: nothing exchanged, sent to an error")
                .noneMatch(u -> u.getPath().equals("/") && u.getPort() == URI.create(portalUrl).getPort());
        assertThat(browser.status(URI.create(portalUrl + "/"))).as("not signed in").isEqualTo(302);
    }

    /**
     * Portal home, Passerelle's key chooser, the demo mobile-ID ({@code citizen}, one per test: a citizen's
     * consent is remembered), the consent page, back at the portal.
     */
    private CitizenBrowser.Page signIn(CitizenBrowser browser, String citizen) throws Exception {
        CitizenBrowser.Page chooser = browser.open(URI.create(portalUrl + "/"));
        assertThat(chooser.uri().toString()).as("the portal sent the browser to Passerelle's key chooser")
                .startsWith(gateway.issuer + "/signin?");
        CitizenBrowser.Page app = browser.submit(chooser, "/signin/demo-mobile-id", null, null, v -> true);
        assertThat(app.uri().getPath()).isEqualTo("/demo/idp/authorize");
        CitizenBrowser.Page consent = browser.submit(app, "/demo/idp/authorize", "citizen", citizen, v -> true);
        assertThat(consent.uri().getPath()).isEqualTo("/consent");
        CitizenBrowser.Page home = browser.submit(consent, "/consent", "decision", "allow", v -> true);
        assertThat(home.status()).as(home.body()).isEqualTo(200);
        assertThat(home.visited()).anyMatch(u -> u.toString().startsWith(portalUrl + "/login/oauth2/code/passerelle?"));
        return home;
    }

    /** The value the portal's page shows for an ID token claim. */
    private static String claim(CitizenBrowser.Page page, String name) {
        Matcher value = Pattern.compile("id=\"claim-" + Pattern.quote(name) + "\">([^<]*)<").matcher(page.body());
        if (!value.find()) {
            throw new AssertionError("the portal shows no claim " + name + ":\n" + page.body());
        }
        return org.springframework.web.util.HtmlUtils.htmlUnescape(value.group(1));
    }

    /** The portal's record of a verified logout token for {@code sid}, once it arrived or 10 s passed. */
    private Optional<BackChannelLogouts.Received> awaitLogout(String sid) throws InterruptedException {
        BackChannelLogouts logouts = portal.getBean(BackChannelLogouts.class);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            List<BackChannelLogouts.Received> received = logouts.received();
            Optional<BackChannelLogouts.Received> match = received.stream().filter(r -> sid.equals(r.sid())).findFirst();
            if (match.isPresent() || Instant.now().isAfter(deadline)) {
                return match;
            }
            Thread.sleep(50);
        }
    }
}

package io.passerelle.issuer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
import io.passerelle.connector.oidc.TestProvider;
import io.passerelle.testsupport.OpsFiles;
import io.passerelle.testsupport.PrometheusScrape;
import testonly.TestSignInConfiguration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * From the portal's authorization request to a verified ID token, through the broker and the OIDC
 * connector, with WireMock as the upstream provider and the provider's tokens minted (signed, and
 * encrypted to Passerelle's published key) in the test: a plain provider, an itsme-grade provider, and
 * upstream faults and forged tokens, each with what the citizen sees and the portal gets (nothing).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcUpstreamEndToEndTest {

    private static final String METRICS_PASSWORD = "scraper-" + java.util.UUID.randomUUID();

    private final PortalFixture fixture = new PortalFixture();
    private final TestProvider upstream = new TestProvider();
    private ConfigurableApplicationContext gateway;
    private PortalClient portal;

    /** The database URL; the PostgreSQL subclass overrides it. */
    String databaseUrl() {
        return "jdbc:h2:mem:oidc-e2e-" + fixture.port + ";DB_CLOSE_DELAY=-1";
    }

    String databaseUser() {
        return "sa";
    }

    @BeforeAll
    void start() throws Exception {
        Files.writeString(fixture.configDir.resolve("connectors/plain-op.yml"), """
                id: plain-op
                type: oidc
                display_name: {en: Plain provider, fr: Fournisseur simple, nl: Eenvoudige aanbieder, de: Einfacher Anbieter}
                loa: substantial
                issuer: %s
                client_id: %s
                client_auth: client_secret_basic
                client_secret: ${PLAIN_OP_SECRET}
                id_token_signing_alg: RS256
                read_timeout: 500ms
                claim_mapping: {given_name: given_name}
                """.formatted(upstream.issuer, TestProvider.CLIENT_ID));
        Files.writeString(fixture.configDir.resolve("connectors/itsme-op.yml"), """
                id: itsme-op
                type: oidc
                display_name: {en: Mobile ID, fr: Mobile ID, nl: Mobile ID, de: Mobile ID}
                loa: high
                issuer: %s
                client_id: %s
                client_auth: private_key_jwt
                extra_scopes: ['service:CITY_PORTAL']
                request_object: signed_and_encrypted
                id_token_signing_alg: RS256
                id_token_encrypted: true
                request_acr: {substantial: 'http://itsme.services/v2/claim/acr_basic', high: 'http://itsme.services/v2/claim/acr_advanced'}
                acr_mapping: {'http://itsme.services/v2/claim/acr_basic': substantial, 'http://itsme.services/v2/claim/acr_advanced': high}
                claim_mapping: {'http://itsme.services/v2/claim/BENationalNumber': national_number, given_name: given_name}
                """.formatted(upstream.issuer, TestProvider.CLIENT_ID));
        // A provider that is down from the start: its discovery cannot be read.
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Files.writeString(fixture.configDir.resolve("connectors/down-op.yml"), """
                id: down-op
                type: oidc
                display_name: {en: Down provider, fr: Fournisseur en panne, nl: Defecte aanbieder, de: Gestörter Anbieter}
                loa: high
                issuer: http://127.0.0.1:%d
                client_id: %s
                client_auth: client_secret_basic
                client_secret: ${PLAIN_OP_SECRET}
                id_token_signing_alg: RS256
                connect_timeout: 300ms
                read_timeout: 300ms
                """.formatted(closedPort, TestProvider.CLIENT_ID));
        gateway = new SpringApplicationBuilder(PasserelleApplication.class, TestSignInConfiguration.class).run(
                "--passerelle.config-file=target/no-operator-config.yml", "--server.port=" + fixture.port,
                "--passerelle.issuer=" + fixture.issuer, "--passerelle.config-dir=" + fixture.configDir,
                "--REGION_PORTAL_SECRET=" + PortalFixture.REGION_SECRET, "--PLAIN_OP_SECRET=" + "x".repeat(40),
                "--passerelle.keys.master-key=" + AbstractIssuerIntegrationTest.randomMasterKey(),
                "--spring.datasource.url=" + databaseUrl(), "--spring.datasource.username=" + databaseUser(),
                "--spring.datasource.password=", "--passerelle.metrics.password=" + METRICS_PASSWORD);
    }

    /**
     * One discovery request from the test before any login: on a busy machine the first request to a cold
     * WireMock (and the JDK HTTP client's first use in this JVM) could take longer than the connectors'
     * 500 ms read timeout, and the first test then failed on its discovery, whichever test ran first.
     */
    @BeforeAll
    void warmUpstream() throws Exception {
        upstream.reset();
        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(upstream.issuer + "/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.close();
        fixture.portalWebServer.stop();
    }

    @BeforeEach
    void freshBrowserAndProvider() throws Exception {
        upstream.reset();
        portal = new PortalClient(fixture).connect();
    }

    @Test
    void plainProviderSignsTheCitizenIn() throws Exception {
        Login login = start("plain-op", null);
        upstream.tokenReturns(TestProvider.sign(upstream.idClaims(Instant.now(), login.upstream.get("nonce"))
                .claim("given_name", "Anna").build()));
        IDTokenClaimsSet claims = login.finish(null);
        assertThat(claims.getACR().getValue()).isEqualTo(PortalClient.LOA_SUBSTANTIAL);
        assertThat(claims.getStringClaim("given_name")).isEqualTo("Anna");
        assertThat(claims.getClaim("national_number")).as("this provider gives none").isNull();
    }

    @Test
    void itsmeGradeProviderWithEncryptedRequestAndIdTokenSignsTheCitizenInAtHigh() throws Exception {
        Login login = start("itsme-op", "acr_values=" + PortalClient.LOA_HIGH);
        // The request object arrives signed by Passerelle, then encrypted to the provider's key.
        SignedJWT request = decrypt(login.upstream.get("request"));
        JWTClaimsSet inside = request.getJWTClaimsSet();
        assertThat(inside.getStringClaim("scope")).contains("service:CITY_PORTAL");
        assertThat(inside.getStringClaim("acr_values")).isEqualTo("http://itsme.services/v2/claim/acr_advanced");
        assertThat(request.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(gatewayKey(KeyUse.SIGNATURE,
                request.getHeader().getKeyID()).toRSAKey()))).isTrue();
        String idToken = TestProvider.sign(upstream.idClaims(Instant.now(), inside.getStringClaim("nonce"))
                .claim("acr", "http://itsme.services/v2/claim/acr_advanced")
                .claim("http://itsme.services/v2/claim/BENationalNumber", "85073003328").build());
        upstream.tokenReturns(TestProvider.encryptTo((RSAKey) gatewayKey(KeyUse.ENCRYPTION, null), idToken));
        IDTokenClaimsSet claims = login.finish(inside.getStringClaim("state"));
        assertThat(claims.getACR().getValue()).isEqualTo(PortalClient.LOA_HIGH);
        assertThat(claims.getStringClaim("national_number")).as("mapped from BENationalNumber, released under a legal basis")
                .isEqualTo("85073003328");
        assertThat(claims.toJSONObject()).doesNotContainKey("http://itsme.services/v2/claim/BENationalNumber");
        assertThat(login.userInfo.toJSONObject()).containsEntry("national_number", "85073003328")
                .containsEntry("sub", claims.getSubject().getValue());
    }

    @Test
    void upstreamFaultsAndForgeriesShowAPageAndSignNobodyIn() throws Exception {
        record Case(String name, Runnable stub, String page) {
        }
        for (Case c : List.of(
                new Case("server error", () -> upstream.tokenAnswers(aResponse().withStatus(500)), "has a technical problem"),
                new Case("timeout", () -> upstream.tokenAnswers(okJson("{}").withFixedDelay(2000)), "did not answer in time"),
                new Case("malformed JSON", () -> upstream.tokenAnswers(okJson("{not json")), "could not be verified"),
                new Case("error response", () -> upstream.tokenAnswers(aResponse().withStatus(400)
                        .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_grant\"}")),
                        "refused the sign-in"))) {
            Login login = start("plain-op", null);
            c.stub().run();
            long t0 = System.nanoTime();
            login.refused(c.page(), c.name(), -1);
            assertThat((System.nanoTime() - t0) / 1_000_000).as(c.name() + " does not hang").isLessThan(1900);
        }
        for (String forgery : List.of("rogue key", "wrong nonce", "wrong audience", "expired")) {
            Login login = start("plain-op", null);
            Instant now = Instant.now();
            JWTClaimsSet.Builder claims = upstream.idClaims(now, forgery.equals("wrong nonce") ? "other" : login.upstream.get("nonce"));
            if (forgery.equals("wrong audience")) {
                claims.audience("someone-else");
            }
            if (forgery.equals("expired")) {
                claims.expirationTime(java.util.Date.from(now.minusSeconds(600)));
            }
            upstream.tokenReturns(forgery.equals("rogue key")
                    ? TestProvider.signWith(TestProvider.ROGUE, JWSAlgorithm.RS256, claims.build())
                    : TestProvider.sign(claims.build()));
            login.refused("could not be verified", forgery, 400);
        }
        Login cancelled = start("plain-op", null);
        HttpResponse<String> page = portal.get(URI.create(fixture.issuer + "/broker/callback/plain-op?error=access_denied&state="
                + cancelled.upstream.get("state")));
        assertThat(page.body()).contains("You cancelled the sign-in");
    }

    /**
     * Issue 15: after a sign-in and a failed one, the Prometheus endpoint counts them per key, portal, LoA and
     * reason, times the upstream calls, keeps made-up ids out of the labels; every query of the dashboard and
     * of the alert rules reads a metric of this scrape. Also prints the stored size of a signed-in session.
     */
    @Test
    void metricsCountSignInsPerKeyPortalAndReasonAndTheOpsFilesReadThem() throws Exception {
        Login signedIn = start("plain-op", null);
        upstream.tokenReturns(TestProvider.sign(upstream.idClaims(Instant.now(), signedIn.upstream.get("nonce")).build()));
        signedIn.finish(null);
        long sessionBytes = gateway.getBean(org.springframework.jdbc.core.simple.JdbcClient.class).sql(
                "SELECT MAX(b) FROM (SELECT SUM(OCTET_LENGTH(attribute_bytes)) AS b FROM spring_session_attributes "
                        + "GROUP BY session_primary_id) s").query(Long.class).single();
        System.out.println("bytes of the largest stored session (attributes, after a sign-in): " + sessionBytes);
        assertThat(sessionBytes).as("a signed-in session in the shared store").isBetween(1L, 8192L);
        Login failed = start("plain-op", null);
        upstream.tokenAnswers(aResponse().withStatus(500));
        failed.refused(H2CitizenPagesTest.text("en", "login-error.server-error.what"), "server error", 502);
        String madeUp = "made-up-" + java.util.UUID.randomUUID();
        portal.get(URI.create(fixture.issuer + "/broker/callback/" + madeUp + "?code=x&state=unknown"));

        PrometheusScrape scrape = new PrometheusScrape(scrape());
        Map<String, String> key = Map.of("connector", "plain-op", "portal", PortalFixture.CITY);
        assertThat(scrape.sum("passerelle_signins_started_total", with(key, "loa", "substantial"))).isGreaterThanOrEqualTo(2);
        assertThat(scrape.sum("passerelle_signins_completed_total", with(key, "loa", "substantial"))).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("passerelle_signins_failed_total", with(key, "reason", "server-error"))).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("passerelle_signins_failed_total", Map.of("connector", "other", "reason", "expired")))
                .as("a connector id from a URL path is not a label value").isGreaterThanOrEqualTo(1);
        assertThat(scrape.find("passerelle_signins_failed_total", Map.of("connector", madeUp))).isEmpty();
        assertThat(scrape.sum("passerelle_tokens_issued_total", Map.of("portal", PortalFixture.CITY,
                "grant_type", "authorization_code"))).isGreaterThanOrEqualTo(1);
        assertThat(scrape.sum("passerelle_upstream_requests_seconds_count", Map.of("connector", "plain-op",
                "endpoint", "token", "outcome", "5xx"))).isGreaterThanOrEqualTo(1);
        assertThat(scrape.find("passerelle_upstream_requests_seconds_bucket", Map.of("connector", "plain-op",
                "endpoint", "token", "outcome", "2xx", "le", "0.5"))).hasSize(1);

        // No state per finished login in this node's memory: the servlet container holds no session of its own.
        assertThat(scrape.find("tomcat_sessions_active_current_sessions", Map.of())).hasSize(1);
        assertThat(scrape.sum("tomcat_sessions_active_current_sessions", Map.of())).isZero();

        Set<String> exported = scrape.names();
        tools.jackson.databind.JsonNode dashboard = OpsFiles.dashboard();
        assertThat(dashboard.get("uid").asString()).isEqualTo("passerelle");
        assertThat(dashboard.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        Set<Integer> ids = new java.util.HashSet<>();
        for (tools.jackson.databind.JsonNode panel : dashboard.get("panels")) {
            assertThat(ids.add(panel.get("id").asInt())).as("panel ids are unique").isTrue();
            assertThat(panel.get("gridPos").get("w").asInt() + panel.get("gridPos").get("x").asInt()).isBetween(1, 24);
            if (!panel.get("type").asString().equals("row")) {
                assertThat(panel.get("targets")).as(panel.get("title").asString()).isNotEmpty();
                panel.get("targets").forEach(t -> assertThat(t.get("refId").asString()).isNotBlank());
            }
        }
        List<String> queries = new java.util.ArrayList<>(OpsFiles.dashboardExpressions(dashboard));
        queries.addAll(OpsFiles.alertExpressions().values());
        assertThat(OpsFiles.alertExpressions()).containsKeys("PasserelleUpstreamFailing", "PasserelleKeyNotRotated",
                "PasserelleSignInErrorRate");
        for (String query : queries) {
            assertThat(OpsFiles.metricNames(query)).as(query).isNotEmpty();
            assertThat(exported).as(query).containsAll(OpsFiles.metricNames(query));
        }
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> all = new java.util.HashMap<>(labels);
        all.put(name, value);
        return all;
    }

    private String scrape() throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString(("metrics:" + METRICS_PASSWORD).getBytes());
        HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(fixture.issuer + "/actuator/prometheus")).header("Authorization", "Basic " + basic).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    /**
     * One sentence, one status and one answer to the portal per kind of upstream fault (issue 13): an
     * outage is {@code temporarily_unavailable}, an answer that cannot be trusted {@code server_error},
     * and only the citizen's own cancellation {@code access_denied}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fr", "nl", "de", "en"})
    void eachUpstreamFaultHasItsSentenceStatusAndAnswerToThePortal(String language) throws Exception {
        record Fault(String name, Runnable stub, String message, int status, String portalError) {
        }
        for (Fault f : List.of(
                new Fault("timeout", () -> upstream.tokenAnswers(okJson("{}").withFixedDelay(2000)),
                        "login-error.timeout.what", 504, "temporarily_unavailable"),
                new Fault("refused", () -> upstream.tokenAnswers(aResponse().withFault(
                        com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)),
                        "login-error.unreachable.what", 502, "temporarily_unavailable"),
                new Fault("server error", () -> upstream.tokenAnswers(aResponse().withStatus(503)),
                        "login-error.server-error.what", 502, "temporarily_unavailable"),
                new Fault("invalid answer", () -> upstream.tokenAnswers(okJson("{not json")),
                        "login-error.invalid-response.what", 400, "server_error"))) {
            Login login = start("plain-op", "ui_locales=" + language);
            f.stub().run();
            HttpResponse<String> page = login.refused(H2CitizenPagesTest.text(language, f.message()), f.name(), f.status());
            assertThat(page.body()).contains("href=\"/broker/abandon?login=").contains("href=\"/signin?login=");
            assertThat(login.portalAnswer()).as(f.name()).isEqualTo(f.portalError());
        }
        Login cancelled = start("plain-op", "ui_locales=" + language);
        HttpResponse<String> page = portal.get(URI.create(fixture.issuer + "/broker/callback/plain-op?error=access_denied&state="
                + cancelled.upstream.get("state")));
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(org.springframework.web.util.HtmlUtils.htmlUnescape(page.body()))
                .contains(H2CitizenPagesTest.text(language, "login-error.cancelled.what"));
        cancelled.lastPage = page;
        assertThat(cancelled.portalAnswer()).isEqualTo("access_denied");
    }

    /** A provider whose discovery cannot be read is offered as "temporarily unavailable", not as a working key. */
    @ParameterizedTest
    @ValueSource(strings = {"fr", "nl", "de", "en"})
    void aProviderThatIsDownIsShownUnavailableInTheChooser(String language) throws Exception {
        portal.newBrowser();
        URI authorize = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
                new ClientID(PortalFixture.CITY), URI.create(PortalFixture.CALLBACK)).state(new State())
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
                .endpointURI(portal.op.getAuthorizationEndpointURI()).build().toURI();
        HttpResponse<String> toChooser = portal.get(URI.create(authorize + "&ui_locales=" + language));
        assertThat(PortalClient.location(toChooser)).contains("/signin?login=");
        HttpResponse<String> chooser = portal.get(URI.create(PortalClient.location(toChooser)));
        assertThat(chooser.statusCode()).isEqualTo(200);
        String body = org.springframework.web.util.HtmlUtils.htmlUnescape(chooser.body());
        String down = body.substring(body.indexOf("/signin/down-op"));
        down = down.substring(0, down.indexOf("</form>"));
        assertThat(down).contains("disabled").contains(H2CitizenPagesTest.text(language, "signin.key-unavailable"));
        String plain = body.substring(body.indexOf("/signin/plain-op"));
        assertThat(plain.substring(0, plain.indexOf("</form>"))).doesNotContain("disabled");

        // Named by idp_hint, the key is tried at once: the page says it cannot be reached, with a 5xx status,
        // and the portal hears that the service is temporarily unavailable.
        State state = new State();
        portal.newBrowser();
        URI hinted = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
                new ClientID(PortalFixture.CITY), URI.create(PortalFixture.CALLBACK)).state(state)
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
                .endpointURI(portal.op.getAuthorizationEndpointURI()).build().toURI();
        HttpResponse<String> tried = portal.get(URI.create(hinted + "&idp_hint=down-op&ui_locales=" + language));
        assertThat(PortalClient.location(tried)).as("back to the login's chooser, with the failure's code")
                .contains("/signin?login=").contains("&reference=PSL-");
        HttpResponse<String> page = portal.get(URI.create(PortalClient.location(tried)));
        assertThat(page.statusCode()).isEqualTo(502);
        assertThat(org.springframework.web.util.HtmlUtils.htmlUnescape(page.body()))
                .contains(H2CitizenPagesTest.text(language, "login-error.unreachable.what"));
        AuthorizationResponse answer = AuthorizationResponse.parse(URI.create(PortalClient.location(
                portal.get(URI.create(fixture.issuer + H2CitizenPagesTest.href(page, "/broker/abandon"))))));
        assertThat(answer.getState()).isEqualTo(state);
        assertThat(answer.toErrorResponse().getErrorObject().getCode()).isEqualTo("temporarily_unavailable");
    }

    private JWK gatewayKey(KeyUse use, String kid) throws Exception {
        return JWKSet.load(portal.op.getJWKSetURI().toURL()).getKeys().stream()
                .filter(k -> use.equals(k.getKeyUse()) && (kid == null || kid.equals(k.getKeyID())))
                .findFirst().orElseThrow();
    }

    private static SignedJWT decrypt(String jwe) throws Exception {
        JWEObject object = JWEObject.parse(jwe);
        object.decrypt(new RSADecrypter(TestProvider.ENCRYPTION));
        return object.getPayload().toSignedJWT();
    }

    private Login start(String connector, String extra) throws Exception {
        portal.newBrowser();
        Login login = new Login();
        URI authorize = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope("openid", "profile", "national_number"),
                new ClientID(PortalFixture.CITY), URI.create(PortalFixture.CALLBACK)).state(login.state)
                .nonce(login.nonce).codeChallenge(login.verifier, CodeChallengeMethod.S256)
                .endpointURI(portal.op.getAuthorizationEndpointURI()).build().toURI();
        URI full = URI.create(authorize + "&idp_hint=" + connector + (extra == null ? "" : "&" + extra));
        URI upstreamAuthorize = portal.upstreamFrom(portal.get(full));
        assertThat(upstreamAuthorize.toString()).startsWith(upstream.issuer + "/authorize");
        login.connector = connector;
        login.upstream = TestProvider.query(upstreamAuthorize);
        return login;
    }

    /** One portal login in flight, parked at the upstream provider. */
    private final class Login {
        final CodeVerifier verifier = new CodeVerifier();
        final Nonce nonce = new Nonce();
        final State state = new State();
        String connector;
        Map<String, String> upstream;
        com.nimbusds.openid.connect.sdk.claims.UserInfo userInfo;

        /** The provider sends the browser back with a code; the portal ends with a verified ID token. */
        IDTokenClaimsSet finish(String upstreamState) throws Exception {
            String st = upstreamState != null ? upstreamState : upstream.get("state");
            HttpResponse<String> callback = portal.get(URI.create(fixture.issuer + "/broker/callback/" + connector
                    + "?code=upstream-code&state=" + st));
            assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
            // The broker answers the portal's request in the same exchange (or via one more redirect).
            String next = PortalClient.location(callback);
            URI back = URI.create(next.startsWith(fixture.issuer) ? PortalClient.location(portal.get(URI.create(next))) : next);
            AuthorizationResponse response = AuthorizationResponse.parse(back);
            var tokens = PortalClient.tokens(portal.exchange(response.toSuccessResponse().getAuthorizationCode(), verifier));
            userInfo = com.nimbusds.openid.connect.sdk.UserInfoResponse.parse(new com.nimbusds.openid.connect.sdk.UserInfoRequest(
                    portal.op.getUserInfoEndpointURI(), tokens.getOIDCTokens().getBearerAccessToken()).toHTTPRequest().send())
                    .toSuccessResponse().getUserInfo();
            return portal.idTokenValidator(PortalFixture.CITY, JWSAlgorithm.RS256)
                    .validate(tokens.getOIDCTokens().getIDToken(), nonce);
        }

        /** The page after the provider's answer: its text and status ({@code -1}: any 4xx or 5xx). */
        HttpResponse<String> refused(String text, String name, int status) throws Exception {
            HttpResponse<String> page = portal.get(URI.create(fixture.issuer + "/broker/callback/" + connector
                    + "?code=upstream-code&state=" + upstream.get("state")));
            if (status < 0) {
                assertThat(page.statusCode()).as(name).isBetween(400, 599);
            } else {
                assertThat(page.statusCode()).as(name).isEqualTo(status);
            }
            assertThat(org.springframework.web.util.HtmlUtils.htmlUnescape(page.body())).as(name).contains(text)
                    .contains("PSL-").doesNotContain("Exception");
            lastPage = page;
            return page;
        }

        /** What the portal receives when the citizen goes back to it from the page. */
        /** The last error page of this login (its links name the login). */
        HttpResponse<String> lastPage;

        String portalAnswer() throws Exception {
            AuthorizationResponse answer = AuthorizationResponse.parse(URI.create(PortalClient.location(
                    portal.get(URI.create(fixture.issuer + H2CitizenPagesTest.href(lastPage, "/broker/abandon"))))));
            assertThat(answer.getState()).isEqualTo(state);
            return answer.toErrorResponse().getErrorObject().getCode();
        }
    }
}

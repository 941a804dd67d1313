package io.passerelle.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import io.passerelle.issuer.PortalClient;
import io.passerelle.issuer.PortalFixture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

/**
 * Two Passerelle nodes on one PostgreSQL database behind a load balancer that is not sticky, as an
 * operator runs them; an independent client (Nimbus for the portal, one cookie jar for the browser) sends
 * each request of a sign-in to the node the test names, so every step crosses from one node to the other.
 * Subclasses choose where the browser sessions live (JDBC or Redis).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class TwoNodesContract extends PortalClient {

    private static final String REGION_CALLBACK = "https://region.example/cb";

    private final PortalFixture fixture;
    private GatewayNode a;
    private GatewayNode b;
    private CookieManager cookies;

    TwoNodesContract() {
        this(new PortalFixture());
    }

    private TwoNodesContract(PortalFixture fixture) {
        super(fixture);
        this.fixture = fixture;
    }

    /** The settings every node shares: database, master key, session store. */
    abstract Map<String, Object> clusterSettings();

    private Map<String, Object> clusterSettings;

    @BeforeAll
    void startTwoNodes() {
        clusterSettings = new LinkedHashMap<>(clusterSettings());
        a = GatewayNode.start(fixture, fixture.port, fixture.configDir.toString(), clusterSettings);
        b = GatewayNode.start(fixture, GatewayNode.freePort(), fixture.configDir.toString(), clusterSettings);
    }

    @AfterAll
    void stopNodes() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @BeforeEach
    void portal() throws Exception {
        op = com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata.resolve(new Issuer(fixture.issuer));
        newBrowser();
        autoConsent = false;
        followResume = false; // the test says which node each request goes to
    }

    /** One browser: its cookie jar sends the session cookie to either node, as to the load balancer's address. */
    @Override
    protected void newBrowser() {
        cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        browser = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Test
    @Order(1)
    void everyStepOfASignInMayLandOnTheOtherNode() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        Nonce nonce = new Nonce();
        URI request = URI.create(new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile"),
                new ClientID(PortalFixture.CITY), URI.create(PortalFixture.CALLBACK)).state(new State("s-1")).nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256).endpointURI(op.getAuthorizationEndpointURI())
                .build().toURI() + "&idp_hint=test-high");

        // Started on A; the upstream provider sends the browser back to B.
        URI callback = URI.create(location(get(on(a, request))));
        String before = sessionCookie();
        HttpResponse<String> signedIn = get(on(b, callback));
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
        assertThat(sessionCookie()).as("a new session id at sign-in").isNotEqualTo(before);
        // The portal's request resumes (on A) and asks for consent.
        HttpResponse<String> resumed0 = get(on(a, URI.create(location(signedIn))));
        assertThat(URI.create(location(resumed0)).getPath()).isEqualTo("/consent");

        // The consent question on B, answered on A.
        HttpResponse<String> question = get(on(b, URI.create(fixture.issuer).resolve(location(resumed0))));
        assertThat(question.statusCode()).isEqualTo(200);
        HttpResponse<String> answered = browser.send(HttpRequest.newBuilder(on(a, URI.create(fixture.issuer + "/consent")))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                        "decision=allow&claim=given_name&claim=family_name&request=" + formValue(question.body(), "request")
                                + "&_csrf=" + formValue(question.body(), "_csrf"))).build(), HttpResponse.BodyHandlers.ofString());
        URI resumed = URI.create(fixture.issuer).resolve(location(answered));
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(location(get(on(b, resumed)))));
        assertThat(response.getState().getValue()).isEqualTo("s-1");

        // Tokens on A, verified by the portal against the published keys.
        OIDCTokenResponse tokens = tokens(exchange(response.toSuccessResponse().getAuthorizationCode(), verifier));
        IDTokenClaimsSet claims = idTokenValidator(PortalFixture.CITY, JWSAlgorithm.RS256)
                .validate(tokens.getOIDCTokens().getIDToken(), nonce);
        assertThat(claims.getStringClaim("given_name")).isEqualTo("Anna");
        assertThat(claims.getACR().getValue()).isEqualTo(LOA_HIGH);

        // Single sign-on from the other node: prompt=none for a second portal on B.
        URI region = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"), new ClientID(PortalFixture.REGION),
                URI.create(REGION_CALLBACK)).state(new State("s-2")).nonce(new Nonce())
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).endpointURI(op.getAuthorizationEndpointURI())
                .build().toURI();
        assertThat(location(get(on(b, URI.create(region + "&prompt=none"))))).startsWith(REGION_CALLBACK + "?code=");

        // Sign-out on B ends the sign-in on A.
        URI logout = new LogoutRequest(op.getEndSessionEndpointURI(), tokens.getOIDCTokens().getIDToken(),
                URI.create(PortalFixture.LOGGED_OUT), new State("bye")).toURI();
        assertThat(location(get(on(b, logout)))).isEqualTo(PortalFixture.LOGGED_OUT + "?state=bye");
        assertThat(location(get(on(a, URI.create(region + "&prompt=none"))))).contains("error=login_required");
    }

    @Test
    @Order(2)
    void aThirdNodeWithoutAPortalsFileStartsAndDeletesNothing() throws Exception {
        JdbcClient database = JdbcClient.create(a.bean(DataSource.class));
        signIn("citizen-drift", LOA_SUBSTANTIAL, "");
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationCode code = AuthorizationResponse.parse(URI.create(location(get(on(b,
                authorize(PortalFixture.CITY, PortalFixture.CALLBACK, verifier)))))).toSuccessResponse().getAuthorizationCode();
        tokens(exchange(code, verifier));
        long grants = count(database, "SELECT count(*) FROM oauth2_authorization WHERE registered_client_id = 'city-portal'");
        assertThat(grants).isPositive();

        Path withoutCity = Files.createTempDirectory("passerelle-node-c");
        FileSystemUtils.copyRecursively(fixture.configDir, withoutCity);
        Files.delete(withoutCity.resolve("clients/city-portal.yml"));
        try (GatewayNode c = GatewayNode.start(fixture, GatewayNode.freePort(), withoutCity.toString(), clusterSettings)) {
            assertThat(count(database, "SELECT count(*) FROM oauth2_registered_client WHERE id = 'city-portal'")).isEqualTo(1);
            assertThat(count(database, "SELECT count(*) FROM oauth2_authorization WHERE registered_client_id = 'city-portal'"))
                    .isEqualTo(grants);
            HttpResponse<String> refused = get(on(c, authorize(PortalFixture.CITY, PortalFixture.CALLBACK, new CodeVerifier())));
            assertThat(refused.statusCode()).as("node C does not know the portal").isEqualTo(400);
            assertThat(location(get(on(b, URI.create(authorize(PortalFixture.CITY, PortalFixture.CALLBACK, new CodeVerifier())
                    + "&prompt=none"))))).as("node B still serves it").startsWith(PortalFixture.CALLBACK + "?code=");
        }
    }

    private static long count(JdbcClient database, String sql) {
        return database.sql(sql).query(Long.class).single();
    }

    @Test
    @Order(3)
    void aLoginInFlightOnANodeThatDiesCompletesOnTheOther() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        Nonce nonce = new Nonce();
        URI request = URI.create(new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
                new ClientID(PortalFixture.CITY), URI.create(PortalFixture.CALLBACK)).state(new State("s-3")).nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256).endpointURI(op.getAuthorizationEndpointURI())
                .build().toURI() + "&idp_hint=test-high");
        URI callback = URI.create(location(get(on(a, request))));
        a.close(); // the citizen is at the provider when node A goes down

        URI resume = URI.create(location(get(on(b, callback))));
        AuthorizationCode code = AuthorizationResponse.parse(URI.create(location(get(on(b, resume)))))
                .toSuccessResponse().getAuthorizationCode();
        URI token = op.getTokenEndpointURI();
        OIDCTokenResponse tokens = tokens(OIDCTokenResponseParser.parse(new TokenRequest(on(b, token), cityAuth(token),
                new AuthorizationCodeGrant(code, URI.create(PortalFixture.CALLBACK), verifier)).toHTTPRequest().send()));
        IDTokenClaimsSet claims = new IDTokenValidator(new Issuer(fixture.issuer), new ClientID(PortalFixture.CITY),
                JWSAlgorithm.RS256, on(b, op.getJWKSetURI()).toURL()).validate(tokens.getOIDCTokens().getIDToken(), nonce);
        assertThat(claims.getIssuer().getValue()).isEqualTo(fixture.issuer);
    }

    /** The same address on another node: what a load balancer that is not sticky does. */
    private static URI on(GatewayNode node, URI uri) {
        return URI.create(uri.toString().replaceFirst("^http://localhost:\\d+", "http://localhost:" + node.port));
    }

    private String sessionCookie() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("PASSERELLE_SESSION"))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }
}

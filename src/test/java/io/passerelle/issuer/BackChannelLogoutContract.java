package io.passerelle.issuer;

import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * OIDC Back-Channel Logout 1.0, end to end: a citizen signed in to several portals signs out at one
 * (RP-initiated logout) or everywhere (account page); each portal's server receives a logout token
 * that Nimbus's {@code LogoutTokenValidator} accepts, with that portal's pairwise {@code sub} and the
 * session's {@code sid}, and the grants of the session end. Run on H2 and on PostgreSQL.
 */
abstract class BackChannelLogoutContract extends AbstractIssuerIntegrationTest {

    private static final String REGION_CALLBACK = "https://region.example/cb";

    @Autowired
    private AuditLog audit;

    @BeforeEach
    void clearRequests() {
        FIXTURE.portalWebServer.resetRequests();
    }

    @Test
    void discoverySaysBackChannelLogoutIsSupportedWithSid() {
        assertThat(op.supportsBackChannelLogout()).isTrue();
        assertThat(op.supportsBackChannelLogoutSession()).isTrue();
    }

    @Test
    void aPortalsLogoutReachesEveryPortalOfTheSessionAndEndsTheirGrants() throws Exception {
        String citizen = "citizen-" + UUID.randomUUID();
        signIn(citizen, LOA_SUBSTANTIAL, "");
        OIDCTokenResponse city = cityTokens();
        OIDCTokenResponse region = regionTokens();
        OIDCTokenResponse regionOffline = regionTokens(new Scope("openid", "offline_access"));
        SignedJWT cityIdToken = (SignedJWT) city.getOIDCTokens().getIDToken();
        SignedJWT regionIdToken = (SignedJWT) region.getOIDCTokens().getIDToken();
        String sid = cityIdToken.getJWTClaimsSet().getStringClaim("sid");
        var citizensBrowser = browser;

        // Someone else, in another browser, stays signed in.
        newBrowser();
        signIn("citizen-" + UUID.randomUUID(), LOA_SUBSTANTIAL, "");
        OIDCTokenResponse bystander = cityTokens();
        browser = citizensBrowser;

        URI logout = new LogoutRequest(op.getEndSessionEndpointURI(), cityIdToken,
                URI.create(PortalFixture.LOGGED_OUT), new State("bye")).toURI();
        assertThat(location(get(logout))).isEqualTo(PortalFixture.LOGGED_OUT + "?state=bye");

        Told told = toldAndEnded(city, region);
        LogoutTokenClaimsSet toCity = told.city();
        LogoutTokenClaimsSet toRegion = told.region();
        assertThat(toCity.getSessionID().getValue()).isEqualTo(sid);
        assertThat(toRegion.getSessionID().getValue()).isEqualTo(sid);
        assertThat(toCity.getSubject().getValue()).isEqualTo(cityIdToken.getJWTClaimsSet().getSubject());
        assertThat(toRegion.getSubject().getValue()).as("each portal its own pairwise subject")
                .isEqualTo(regionIdToken.getJWTClaimsSet().getSubject()).isNotEqualTo(toCity.getSubject().getValue());

        // Offline access outlived the session, the bystander's grant too, and nobody else was told.
        assertThat(refresh(regionOffline.getOIDCTokens().getRefreshToken(), regionAuth()).indicatesSuccess())
                .as("offline access outlives the session (2.7)").isTrue();
        assertThat(introspect(bystander.getOIDCTokens().getAccessToken().getValue()).isActive()).isTrue();
        assertThat(posts(PortalFixture.CITY_LOGOUT)).hasSize(1);
        assertThat(posts(PortalFixture.REGION_LOGOUT)).as("one token per subject and session, not per grant").hasSize(1);
        assertThat(events(AuditType.LOGOUT_NOTIFIED, citizen, 2)).extracting(AuditEvent::clientId)
                .containsExactlyInAnyOrder(PortalFixture.CITY, PortalFixture.REGION);
        assertThat(events(AuditType.SIGNED_OUT, citizen, 1)).singleElement()
                .satisfies(event -> assertThat(event.details()).containsEntry("scope", "session"));
    }

    @Test
    void signingOutEverywhereReachesThePortalsOfEveryBrowserAndEndsTheSession() throws Exception {
        String citizen = "citizen-" + UUID.randomUUID();
        signIn(citizen, LOA_SUBSTANTIAL, "");
        OIDCTokenResponse city = cityTokens();
        var firstBrowser = browser;
        newBrowser();
        signIn(citizen, LOA_SUBSTANTIAL, "");
        OIDCTokenResponse region = regionTokens();
        browser = firstBrowser;

        HttpResponse<String> account = get(URI.create(FIXTURE.issuer + "/account"));
        assertThat(account.statusCode()).isEqualTo(200);
        HttpResponse<String> signedOut = postForm(URI.create(FIXTURE.issuer + "/account/signout"),
                "_csrf=" + formValue(account.body(), "_csrf"));
        assertThat(signedOut.statusCode()).isEqualTo(200);
        assertThat(signedOut.body()).contains("You are signed out");

        Told told = toldAndEnded(city, region);
        assertThat(told.city().getSessionID()).as("two browsers, two sessions").isNotEqualTo(told.region().getSessionID());
        assertThat(location(get(authorize(PortalFixture.CITY, PortalFixture.CALLBACK, new CodeVerifier()))))
                .as("this browser is signed out").startsWith(FIXTURE.issuer + "/signin?login=");
        assertThat(events(AuditType.SIGNED_OUT, citizen, 1)).singleElement()
                .satisfies(event -> assertThat(event.details()).containsEntry("scope", "everywhere"));
    }

    @Test
    void aPortalThatDoesNotAnswerHoldsNobodyUpAndIsReported() throws Exception {
        String citizen = "citizen-" + UUID.randomUUID();
        signIn(citizen, LOA_SUBSTANTIAL, "");
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationCode code = AuthorizationResponse.parse(URI.create(location(
                get(authorize(PortalFixture.FEDERAL, PortalFixture.CALLBACK, verifier))))).toSuccessResponse()
                .getAuthorizationCode();
        URI token = op.getTokenEndpointURI();
        tokens(OIDCTokenResponseParser.parse(new TokenRequest(token, new PrivateKeyJWT(new ClientID(PortalFixture.FEDERAL),
                token, JWSAlgorithm.PS256, FIXTURE.federalKey.toPrivateKey(), FIXTURE.federalKey.getKeyID(), null),
                new AuthorizationCodeGrant(code, URI.create(PortalFixture.CALLBACK), verifier)).toHTTPRequest().send()));

        HttpResponse<String> account = get(URI.create(FIXTURE.issuer + "/account"));
        long start = System.nanoTime();
        HttpResponse<String> signedOut = postForm(URI.create(FIXTURE.issuer + "/account/signout"),
                "_csrf=" + formValue(account.body(), "_csrf"));
        assertThat(signedOut.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the federal server hangs for 8 s")
                .isLessThan(Duration.ofSeconds(3));
        assertThat(events(AuditType.LOGOUT_NOTIFICATION_FAILED, citizen, 1)).singleElement().satisfies(event -> {
            assertThat(event.clientId()).isEqualTo(PortalFixture.FEDERAL);
            assertThat(event.reason()).contains("Timeout");
        });
    }

    @Test
    void aPortalThatIsDownForAMomentIsToldAgain() throws Exception {
        var server = FIXTURE.portalWebServer;
        StubMapping down = server.stubFor(WireMock.post(urlPathEqualTo(PortalFixture.REGION_LOGOUT)).inScenario("restart")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(WireMock.serviceUnavailable()).willSetStateTo("up"));
        StubMapping up = server.stubFor(WireMock.post(urlPathEqualTo(PortalFixture.REGION_LOGOUT)).inScenario("restart")
                .whenScenarioStateIs("up").willReturn(WireMock.noContent()));
        try {
            String citizen = "citizen-" + UUID.randomUUID();
            signIn(citizen, LOA_SUBSTANTIAL, "");
            regionTokens();
            HttpResponse<String> account = get(URI.create(FIXTURE.issuer + "/account"));
            postForm(URI.create(FIXTURE.issuer + "/account/signout"), "_csrf=" + formValue(account.body(), "_csrf"));

            assertThat(events(AuditType.LOGOUT_NOTIFIED, citizen, 1)).singleElement().satisfies(event -> {
                assertThat(event.clientId()).isEqualTo(PortalFixture.REGION);
                assertThat(event.details()).containsEntry("attempts", "2");
            });
            assertThat(posts(PortalFixture.REGION_LOGOUT)).hasSize(2);
            assertThat(events(AuditType.LOGOUT_NOTIFICATION_FAILED, citizen, 0)).isEmpty();
        } finally {
            server.removeStub(down);
            server.removeStub(up);
            server.resetScenarios();
        }
    }

    /** What the city and the region portals were told. */
    private record Told(LogoutTokenClaimsSet city, LogoutTokenClaimsSet region) {
    }

    /** Each portal got its one logout token, and neither grant (2.7: no offline_access) outlives the sign-out. */
    private Told toldAndEnded(OIDCTokenResponse city, OIDCTokenResponse region) throws Exception {
        Told told = new Told(logoutToken(PortalFixture.CITY, JWSAlgorithm.RS256, PortalFixture.CITY_LOGOUT),
                logoutToken(PortalFixture.REGION, JWSAlgorithm.ES256, PortalFixture.REGION_LOGOUT));
        assertThat(refresh(city.getOIDCTokens().getRefreshToken(), cityAuth(op.getTokenEndpointURI())).indicatesSuccess())
                .isFalse();
        assertThat(refresh(region.getOIDCTokens().getRefreshToken(), regionAuth()).indicatesSuccess()).isFalse();
        return told;
    }

    /** The one logout token posted to a portal's endpoint, checked as the portal checks it, with Nimbus. */
    private LogoutTokenClaimsSet logoutToken(String clientId, JWSAlgorithm alg, String path) throws Exception {
        List<LoggedRequest> posts = awaitPosts(path);
        assertThat(posts).hasSize(1);
        LoggedRequest post = posts.getFirst();
        assertThat(post.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        String body = post.getBodyAsString();
        assertThat(body).startsWith("logout_token=");
        SignedJWT jwt = SignedJWT.parse(URLDecoder.decode(body.substring("logout_token=".length()), StandardCharsets.UTF_8));
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("logout+jwt"));
        assertThat(jwt.getJWTClaimsSet().getClaims()).doesNotContainKey("nonce");
        return new LogoutTokenValidator(new Issuer(FIXTURE.issuer), new ClientID(clientId), alg,
                op.getJWKSetURI().toURL()).validate(jwt);
    }

    private static List<LoggedRequest> awaitPosts(String path) throws InterruptedException {
        return FIXTURE.awaitPosts(path);
    }

    private static List<LoggedRequest> posts(String path) {
        return FIXTURE.posts(path);
    }

    /** This citizen's events of a type, once {@code expected} of them are there (delivery is asynchronous). */
    private List<AuditEvent> events(AuditType type, String citizen, int expected) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        List<AuditEvent> found;
        do {
            found = audit.since(Instant.now().minusSeconds(120), 10_000).stream()
                    .filter(event -> event.type() == type && citizen.equals(event.citizenId())).toList();
            if (found.size() >= expected) {
                return found;
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(deadline));
        return found;
    }

    private TokenResponse refresh(RefreshToken refreshToken, ClientAuthentication client) throws Exception {
        assertThat(refreshToken).isNotNull();
        return OIDCTokenResponseParser.parse(new TokenRequest(op.getTokenEndpointURI(), client,
                new RefreshTokenGrant(refreshToken)).toHTTPRequest().send());
    }

    private OIDCTokenResponse cityTokens() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationCode code = AuthorizationResponse.parse(URI.create(location(
                get(authorize(PortalFixture.CITY, PortalFixture.CALLBACK, verifier))))).toSuccessResponse()
                .getAuthorizationCode();
        return tokens(exchange(code, verifier));
    }

    private OIDCTokenResponse regionTokens() throws Exception {
        return regionTokens(new Scope("openid"));
    }

    private OIDCTokenResponse regionTokens(Scope scope) throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        URI request = new AuthenticationRequest.Builder(ResponseType.CODE, scope, new ClientID(PortalFixture.REGION),
                URI.create(REGION_CALLBACK)).state(new State()).nonce(new Nonce())
                .codeChallenge(verifier, CodeChallengeMethod.S256).endpointURI(op.getAuthorizationEndpointURI()).build()
                .toURI();
        AuthorizationCode code = AuthorizationResponse.parse(URI.create(location(get(request)))).toSuccessResponse()
                .getAuthorizationCode();
        URI token = op.getTokenEndpointURI();
        return tokens(OIDCTokenResponseParser.parse(new TokenRequest(token, regionAuth(),
                new AuthorizationCodeGrant(code, URI.create(REGION_CALLBACK), verifier)).toHTTPRequest().send()));
    }

    private static ClientAuthentication regionAuth() {
        return new ClientSecretBasic(new ClientID(PortalFixture.REGION), new Secret(PortalFixture.REGION_SECRET));
    }
}

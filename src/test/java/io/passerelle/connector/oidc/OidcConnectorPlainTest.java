package io.passerelle.connector.oidc;

import io.passerelle.testsupport.MutableClock;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.passerelle.connector.Callback;
import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;
import io.passerelle.connector.Loa;
import io.passerelle.connector.LoginContext;
import io.passerelle.connector.UpstreamIdentity;

/** A plain OIDC provider (client_secret_basic, signed ID token) against WireMock: the happy paths and caching. */
class OidcConnectorPlainTest {

    private static final TestProvider provider = new TestProvider();
    private final MutableClock clock = MutableClock.atNow();

    @AfterAll
    static void stop() {
        provider.close();
    }

    @BeforeEach
    void reset() {
        provider.reset();
    }

    @Test
    void theAuthorizationUrlCarriesEveryParameterWithAnS256Challenge() {
        OidcConnector connector = TestConnectors.create(TestConnectors.plain(provider), clock);
        LoginContext login = TestConnectors.login(Loa.SUBSTANTIAL);

        URI uri = connector.start(login);

        assertThat(uri.toString()).startsWith(provider.issuer + "/authorize?");
        assertThat(TestProvider.query(uri)).containsOnly(
                Map.entry("response_type", "code"),
                Map.entry("client_id", TestProvider.CLIENT_ID),
                Map.entry("redirect_uri", TestConnectors.CALLBACK.toString()),
                Map.entry("scope", "openid"),
                Map.entry("state", login.state()),
                Map.entry("nonce", login.nonce()),
                Map.entry("code_challenge", AuthorizationRequest.s256(TestConnectors.VERIFIER)),
                Map.entry("code_challenge_method", "S256"),
                Map.entry("ui_locales", "fr"),
                Map.entry("login_hint", "citizen@example.be"));
    }

    @Test
    void theChallengeIsTheOneNimbusComputes() {
        // An independent implementation of RFC 7636 4.2 as the oracle.
        assertThat(AuthorizationRequest.s256(TestConnectors.VERIFIER)).isEqualTo(
                CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(TestConnectors.VERIFIER)).getValue());
    }

    @Test
    void aSignedIdTokenBecomesAnIdentityWithOnlyTheMappedClaims() {
        OidcConnector connector = TestConnectors.create(TestConnectors.plain(provider), clock);
        LoginContext login = TestConnectors.login(Loa.SUBSTANTIAL);
        connector.start(login);
        provider.tokenReturns(TestProvider.sign(provider.idClaims(clock.instant(), login.nonce())
                .claim("given_name", "Marie").claim("family_name", "Peeters").claim("email", "not-mapped@example.be")
                .build()));

        UpstreamIdentity identity = connector.finish(login, callback(login, "the-code"));

        assertThat(identity.connectorId()).isEqualTo("test-op");
        assertThat(identity.subject()).isEqualTo("upstream-subject-42");
        assertThat(identity.loa()).isEqualTo(Loa.SUBSTANTIAL);
        assertThat(identity.amr()).containsExactly("pwd");
        assertThat(identity.authTime()).isEqualTo(clock.instant().minusSeconds(5));
        assertThat(identity.attributes()).containsOnly(Map.entry("given_name", "Marie"), Map.entry("family_name", "Peeters"));

        List<LoggedRequest> requests = provider.server.findAll(postRequestedFor(urlEqualTo("/op/token")));
        assertThat(requests).hasSize(1);
        LoggedRequest token = requests.get(0);
        String basic = new String(Base64.getDecoder().decode(token.getHeader("Authorization").substring(6)), UTF_8);
        // RFC 6749 2.3.1: id and secret are form-encoded before base64.
        assertThat(basic).isEqualTo(TestProvider.CLIENT_ID + ":" + OidcHttp.encode(TestConnectors.SECRET));
        assertThat(TestProvider.form(token.getBodyAsString())).containsOnly(
                Map.entry("grant_type", "authorization_code"),
                Map.entry("code", "the-code"),
                Map.entry("redirect_uri", TestConnectors.CALLBACK.toString()),
                Map.entry("code_verifier", TestConnectors.VERIFIER));
    }

    @Test
    void plainUserInfoAddsMappedClaimsWhenItsSubjectIsTheIdTokens() throws Exception {
        Map<String, String> fields = TestConnectors.plain(provider);
        fields.put("userinfo", "plain");
        fields.put("claims_request", "{family_name: essential}");
        OidcConnector connector = TestConnectors.create(fields, clock);
        LoginContext login = TestConnectors.login(Loa.LOW);
        Map<String, String> query = TestProvider.query(connector.start(login));
        assertThat(JSONObjectUtils.parse(query.get("claims"))).isEqualTo(Map.of(
                "id_token", Map.of("family_name", Map.of("essential", true)),
                "userinfo", Map.of("family_name", Map.of("essential", true))));
        provider.tokenReturns(TestProvider.sign(provider.idClaims(clock.instant(), login.nonce())
                .claim("given_name", "Marie").build()));
        provider.userInfoAnswers(okJson("{\"sub\":\"upstream-subject-42\",\"family_name\":\"Peeters\",\"phone\":\"x\"}"));

        UpstreamIdentity identity = connector.finish(login, callback(login, "code"));

        assertThat(identity.attributes()).containsOnly(Map.entry("given_name", "Marie"), Map.entry("family_name", "Peeters"));
        assertThat(provider.server.findAll(getRequestedFor(urlEqualTo("/op/userinfo"))).get(0).getHeader("Authorization"))
                .isEqualTo("Bearer " + TestProvider.ACCESS_TOKEN);
    }

    @Test
    void userInfoAboutAnotherSubjectIsRefused() {
        Map<String, String> fields = TestConnectors.plain(provider);
        fields.put("userinfo", "plain");
        OidcConnector connector = TestConnectors.create(fields, clock);
        LoginContext login = TestConnectors.login(Loa.LOW);
        connector.start(login);
        provider.tokenReturns(TestProvider.sign(provider.idClaims(clock.instant(), login.nonce()).build()));
        provider.userInfoAnswers(okJson("{\"sub\":\"someone-else\",\"family_name\":\"Peeters\"}"));

        assertThatThrownBy(() -> connector.finish(login, callback(login, "code")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
                    assertThat(e.check()).isEqualTo("UserInfoSubjectMatches");
                });
    }

    @Test
    void discoveryIsFetchedOnceThenRefreshedAfterItsLifetimeAndAFailedRefreshKeepsTheOldDocument() {
        OidcConnector connector = TestConnectors.create(TestConnectors.plain(provider), clock);
        String discovery = "/op/.well-known/openid-configuration";
        assertThat(provider.server.findAll(getRequestedFor(urlEqualTo(discovery)))).isEmpty();

        connector.start(TestConnectors.login(Loa.LOW));
        connector.start(TestConnectors.login(Loa.LOW));
        assertThat(provider.server.findAll(getRequestedFor(urlEqualTo(discovery)))).hasSize(1);

        clock.advance(Duration.ofHours(1));
        provider.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo(discovery))
                .willReturn(aResponse().withStatus(503)));
        URI uri = connector.start(TestConnectors.login(Loa.LOW));
        assertThat(uri.toString()).startsWith(provider.issuer + "/authorize?");
        assertThat(provider.server.findAll(getRequestedFor(urlEqualTo(discovery)))).hasSize(2);
    }

    @Test
    void aDiscoveryDocumentForAnotherIssuerIsAMisconfiguration() {
        Map<String, Object> doc = provider.discovery();
        doc.put("issuer", provider.issuer + "/");
        provider.publishDiscovery(doc);
        OidcConnector connector = TestConnectors.create(TestConnectors.plain(provider), clock);

        assertThatThrownBy(() -> connector.start(TestConnectors.login(Loa.LOW)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.MISCONFIGURED);
                    assertThat(e.check()).isEqualTo("DiscoveryIssuerMatches");
                });
    }

    @Test
    void aProviderThatDoesNotSupportThePinnedAlgorithmIsAMisconfiguration() {
        Map<String, Object> doc = provider.discovery();
        doc.put("id_token_signing_alg_values_supported", List.of("ES256"));
        provider.publishDiscovery(doc);
        OidcConnector connector = TestConnectors.create(TestConnectors.plain(provider), clock);

        assertThatThrownBy(() -> connector.start(TestConnectors.login(Loa.LOW)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MISCONFIGURED));
    }

    static Callback callback(LoginContext login, String code) {
        return new Callback(Map.of("code", code, "state", login.state()), null);
    }
}

package io.passerelle.connector.oidc;

import io.passerelle.testsupport.MutableClock;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.passerelle.connector.Callback;
import io.passerelle.connector.ConnectorException;
import io.passerelle.connector.ConnectorException.Kind;
import io.passerelle.connector.Loa;
import io.passerelle.connector.LoginContext;

/** Every way the provider (or an attacker in its place) can get a login refused, against WireMock. */
class OidcConnectorFaultsTest {

    private static final TestProvider provider = new TestProvider();
    private final MutableClock clock = MutableClock.atNow();
    private OidcConnector connector;
    private LoginContext login;

    @AfterAll
    static void stop() {
        provider.close();
    }

    @BeforeEach
    void startAPlainLogin() {
        provider.reset();
        connector = TestConnectors.create(TestConnectors.plain(provider), clock);
        login = TestConnectors.login(Loa.SUBSTANTIAL);
        connector.start(login);
    }

    // --- the token endpoint ------------------------------------------------------------------------

    @Test
    void aTokenEndpointSlowerThanTheReadTimeoutIsATimeoutAndFailsFast() {
        Map<String, String> fields = TestConnectors.plain(provider);
        fields.put("read_timeout", "300ms");
        connector = TestConnectors.create(fields, clock);
        connector.start(login);
        provider.tokenAnswers(okJson("{}").withFixedDelay(4_000));
        long started = System.nanoTime();
        refused(this::finish, Kind.TIMEOUT, "TokenRequest");
        // Well under the provider's 4 s: the connector gave up at its read timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_500));
    }

    @Test
    void aRefusedConnectionIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, Object> doc = provider.discovery();
        doc.put("token_endpoint", "http://127.0.0.1:" + closedPort + "/token");
        provider.publishDiscovery(doc);
        connector = TestConnectors.create(TestConnectors.plain(provider), clock);
        refused(this::finish, Kind.UNREACHABLE, "TokenRequest");
    }

    @Test
    void aServerErrorIsAServerError() {
        provider.tokenAnswers(aResponse().withStatus(500).withBody("oops"));
        refused(this::finish, Kind.SERVER_ERROR, "TokenRequest");
    }

    @Test
    void malformedJsonIsAnInvalidResponse() {
        provider.tokenAnswers(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"id_token\": "));
        refused(this::finish, Kind.INVALID_RESPONSE, "TokenResponse");
    }

    @Test
    void anOAuthErrorResponseIsAnUpstreamErrorNamingOnlyTheCode() {
        provider.tokenAnswers(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"code SplxlOBeZQQYbYS6WxSbIA used\"}"));
        assertThatThrownBy(this::finish).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
            assertThat(e.getMessage()).contains("invalid_grant").doesNotContain("SplxlOBeZQQYbYS6WxSbIA");
        });
    }

    // --- the callback ------------------------------------------------------------------------------

    @Test
    void accessDeniedIsACancellationAndOtherErrorsAreTheProviders() {
        refused(() -> connector.finish(login, new Callback(Map.of("error", "access_denied", "state", login.state()), null)),
                Kind.CANCELLED, "CallbackError");
        refused(() -> connector.finish(login, new Callback(Map.of("error", "server_error", "state", login.state()), null)),
                Kind.UPSTREAM_ERROR, "CallbackError");
        assertThat(provider.server.findAll(postRequestedFor(urlEqualTo("/op/token")))).isEmpty();
    }

    @Test
    void anotherLoginsStateIsRefusedBeforeAnythingElse() {
        refused(() -> connector.finish(login, new Callback(Map.of("code", "c", "state", "forged"), null)),
                Kind.INVALID_RESPONSE, "CallbackStateMatches");
        assertThat(provider.server.findAll(postRequestedFor(urlEqualTo("/op/token")))).isEmpty();
    }

    @Test
    void aCallbackFromAnotherIssuerIsAMixUp() {
        refused(() -> connector.finish(login, new Callback(
                Map.of("code", "c", "state", login.state(), "iss", "https://evil.example/op"), null)),
                Kind.INVALID_RESPONSE, "CallbackIssuerMatches");
        assertThat(provider.server.findAll(postRequestedFor(urlEqualTo("/op/token")))).isEmpty();
    }

    @Test
    void aProviderAnnouncingRfc9207MustSendIss() {
        Map<String, Object> doc = provider.discovery();
        doc.put("authorization_response_iss_parameter_supported", true);
        provider.publishDiscovery(doc);
        connector = TestConnectors.create(TestConnectors.plain(provider), clock);
        refused(this::finish, Kind.INVALID_RESPONSE, "CallbackIssuerMatches");
    }

    // --- the ID token ------------------------------------------------------------------------------

    @Test
    void aWrongIssuerIsRefused() {
        idTokenRefused(claims().issuer(provider.issuer + "/other").build(), "IdTokenIssuerMatches");
    }

    @Test
    void aTokenForAnotherClientIsRefused() {
        idTokenRefused(claims().audience("another-client").build(), "IdTokenAudienceContainsClient");
    }

    @Test
    void anExpiredTokenIsRefusedBeyondTheSkew() {
        idTokenRefused(claims().expirationTime(Date.from(clock.instant().minusSeconds(61))).build(), "IdTokenNotExpired");
    }

    @Test
    void anotherLoginsNonceIsRefused() {
        idTokenRefused(claims().claim("nonce", "nonce-of-another-login").build(), "IdTokenNonceMatches");
    }

    @Test
    void anAccessTokenHashThatDoesNotMatchIsRefused() {
        idTokenRefused(claims().claim("at_hash", "77QmUPtjPfzWtF2AnpK9RQ").build(), "IdTokenAccessTokenHash");
    }

    @Test
    void anUnsignedTokenIsRefused() {
        provider.tokenReturns(new PlainJWT(claims().build()).serialize());
        refused(this::finish, Kind.INVALID_RESPONSE, "IdTokenAlgorithmPinned");
    }

    @Test
    void hs256SignedWithTheProvidersPublicKeyAsSecretIsRefused() throws Exception {
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .keyID(TestProvider.SIGNING.getKeyID()).build(), claims().build());
        forged.sign(new MACSigner(TestProvider.SIGNING.toRSAPublicKey().getEncoded()));
        provider.tokenReturns(forged.serialize());
        refused(this::finish, Kind.INVALID_RESPONSE, "IdTokenAlgorithmPinned");
    }

    @Test
    void aTamperedPayloadDoesNotVerify() {
        String[] parts = TestProvider.sign(claims().build()).split("\\.");
        String other = TestProvider.sign(claims().subject("someone-else").build()).split("\\.")[1];
        provider.tokenReturns(parts[0] + "." + other + "." + parts[2]);
        refused(this::finish, Kind.INVALID_RESPONSE, "IdTokenSignatureValid");
    }

    @Test
    void anUnknownKeyRefetchesTheJwksOnceThenIsRefusedAndTheRefetchIsRateLimited() {
        provider.tokenReturns(TestProvider.signWith(TestProvider.ROGUE, JWSAlgorithm.RS256, claims().build()));
        refused(this::finish, Kind.INVALID_RESPONSE, "IdTokenSignatureValid");
        assertThat(jwksFetches()).isEqualTo(2);

        refused(this::finish, Kind.INVALID_RESPONSE, "IdTokenSignatureValid");
        assertThat(jwksFetches()).as("no second refetch within jwks_min_refresh_interval").isEqualTo(2);

        clock.advance(Duration.ofSeconds(30));
        refused(this::finish, Kind.INVALID_RESPONSE, "IdTokenSignatureValid");
        assertThat(jwksFetches()).isEqualTo(3);
    }

    @Test
    void aRotatedProviderKeyIsPickedUpByTheRefetch() {
        provider.tokenReturns(TestProvider.sign(claims().build()));
        connector.finish(login, callback());
        RSAKey rotated = TestOidcKeys.rsa("op-sig-2", JWSAlgorithm.RS256, KeyUse.SIGNATURE);
        provider.publishKeys(TestProvider.SIGNING.toPublicJWK(), rotated.toPublicJWK());
        provider.tokenReturns(TestProvider.signWith(rotated, JWSAlgorithm.RS256, claims().build()));

        assertThat(connector.finish(login, callback()).subject()).isEqualTo("upstream-subject-42");
        assertThat(jwksFetches()).isEqualTo(2);
    }

    @Test
    void aJweIdTokenIsRefusedWhenEncryptionIsNotConfigured() {
        provider.tokenReturns(TestProvider.encryptTo(TestOidcKeys.INSTANCE.encryption, TestProvider.sign(claims().build())));
        refused(this::finish, Kind.INVALID_RESPONSE, "IdTokenEncryptedAsConfigured");
    }

    // --- itsme-grade: encryption, acr and claims ---------------------------------------------------

    @Test
    void aMerelySignedIdTokenIsRefusedWhenEncryptionIsRequired() {
        itsme(Loa.SUBSTANTIAL);
        provider.tokenReturns(TestProvider.sign(claims().claim("acr", OidcConnectorItsmeTest.BASIC).build()));
        refused(this::finishWithIss, Kind.INVALID_RESPONSE, "IdTokenEncryptedAsConfigured");
    }

    @Test
    void anUnmappedAcrIsRefused() {
        itsme(Loa.SUBSTANTIAL);
        returnEncrypted(claims().claim("acr", "http://itsme.services/v2/claim/acr_unknown").build());
        refused(this::finishWithIss, Kind.INVALID_RESPONSE, "IdTokenAcrMapped");
    }

    @Test
    void aMissingAcrIsRefusedWhenAMappingIsConfigured() {
        itsme(Loa.SUBSTANTIAL);
        returnEncrypted(claims().build());
        refused(this::finishWithIss, Kind.INVALID_RESPONSE, "IdTokenAcrMapped");
    }

    @Test
    void aLowerLevelThanRequiredIsLoaNotMet() {
        itsme(Loa.HIGH);
        returnEncrypted(claims().claim("acr", OidcConnectorItsmeTest.BASIC).build());
        refused(this::finishWithIss, Kind.LOA_NOT_MET, "LoaMet");
    }

    @Test
    void aNationalNumberWithABadChecksumIsRefusedWithoutEchoingIt() {
        itsme(Loa.SUBSTANTIAL);
        returnEncrypted(claims().claim("acr", OidcConnectorItsmeTest.BASIC)
                .claim(OidcConnectorItsmeTest.NS + "BENationalNumber", "85073003329").build());
        assertThatThrownBy(this::finishWithIss).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.check()).isEqualTo("NationalNumberValid");
            assertThat(e.getMessage()).doesNotContain("85073003329");
        });
    }

    // --- helpers -----------------------------------------------------------------------------------

    private void itsme(Loa required) {
        provider.publishDiscovery(OidcConnectorItsmeTest.itsmeDiscovery(provider));
        connector = TestConnectors.create(TestConnectors.itsme(provider), clock);
        login = TestConnectors.login(required);
        connector.start(login);
    }

    private void returnEncrypted(JWTClaimsSet claims) {
        provider.tokenReturns(TestProvider.encryptTo(TestOidcKeys.INSTANCE.encryption, TestProvider.sign(claims)));
    }

    private JWTClaimsSet.Builder claims() {
        return provider.idClaims(clock.instant(), login.nonce());
    }

    private void idTokenRefused(JWTClaimsSet claims, String check) {
        provider.tokenReturns(TestProvider.sign(claims));
        refused(this::finish, Kind.INVALID_RESPONSE, check);
    }

    private Callback callback() {
        return new Callback(Map.of("code", "c", "state", login.state()), null);
    }

    private void finish() {
        connector.finish(login, callback());
    }

    private void finishWithIss() {
        Map<String, String> parameters = new HashMap<>(callback().parameters());
        parameters.put("iss", provider.issuer);
        connector.finish(login, new Callback(parameters, null));
    }

    private int jwksFetches() {
        return provider.server.findAll(getRequestedFor(urlEqualTo("/op/jwks"))).size();
    }

    static void refused(ThrowingCallable call, Kind kind, String check) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
            assertThat(e.check()).as(e.getMessage()).isEqualTo(check);
        });
    }

    // --- a provider down at start ------------------------------------------------------------------

    /**
     * Discovery that cannot be read makes the key unavailable, without the chooser waiting for it; the
     * background attempts (one per probe interval) make it available again as soon as the provider answers.
     */
    @Test
    void aProviderDownAtStartIsUnavailableUntilItAnswers() throws Exception {
        provider.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/op/.well-known/openid-configuration"))
                .willReturn(aResponse().withStatus(503)));
        OidcConnector down = TestConnectors.create(TestConnectors.plain(provider), clock);
        down.warmUp();
        long started = System.nanoTime();
        assertThat(down.available()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answers at once").isLessThan(Duration.ofMillis(200));

        provider.reset(); // the provider answers again
        clock.advance(ProviderDiscovery.PROBE_INTERVAL.plusSeconds(1));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        boolean available = down.available();
        while (!available && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            available = down.available();
        }
        assertThat(available).as("offered again once discovery answers").isTrue();
    }
}

package io.passerelle.connector.oidc;

import io.passerelle.testsupport.MutableClock;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.passerelle.connector.Callback;
import io.passerelle.connector.Loa;
import io.passerelle.connector.LoginContext;
import io.passerelle.connector.UpstreamIdentity;

/**
 * An itsme-grade provider against WireMock: private_key_jwt, a signed-then-encrypted request object,
 * a JWE ID token to Passerelle's key, the service: scope, acr mapping and namespaced claims.
 */
class OidcConnectorItsmeTest {

    static final String NS = "http://itsme.services/v2/claim/";
    static final String BASIC = NS + "acr_basic";
    static final String ADVANCED = NS + "acr_advanced";
    static final String NATIONAL_NUMBER = "85073003328";

    private static final TestProvider provider = new TestProvider();
    private final MutableClock clock = MutableClock.atNow();
    private final TestOidcKeys passerelle = TestOidcKeys.INSTANCE;

    @AfterAll
    static void stop() {
        provider.close();
    }

    @BeforeEach
    void reset() {
        provider.reset();
        provider.publishDiscovery(itsmeDiscovery(provider));
    }

    static Map<String, Object> itsmeDiscovery(TestProvider provider) {
        Map<String, Object> doc = provider.discovery();
        doc.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        doc.put("request_object_signing_alg_values_supported", List.of("RS256"));
        doc.put("request_object_encryption_alg_values_supported", List.of("RSA-OAEP-256"));
        doc.put("request_object_encryption_enc_values_supported", List.of("A256CBC-HS512", "A128CBC-HS256"));
        doc.put("authorization_response_iss_parameter_supported", true);
        return doc;
    }

    @Test
    void theWholeItsmeFlowProducesTheMappedIdentity() throws Exception {
        OidcConnector connector = TestConnectors.create(TestConnectors.itsme(provider), clock);
        LoginContext login = TestConnectors.login(Loa.SUBSTANTIAL);

        URI authorize = connector.start(login);
        assertThat(TestProvider.query(authorize)).containsOnlyKeys("client_id", "response_type", "scope", "request")
                .containsEntry("scope", "openid profile service:CITY_PORTAL");
        JWTClaimsSet request = requestObjectAsTheProviderReceivesIt(authorize);
        assertThat(request.getIssuer()).isEqualTo(TestProvider.CLIENT_ID);
        assertThat(request.getAudience()).containsExactly(provider.issuer);
        assertThat(request.getJWTID()).isNotBlank();
        assertThat(Duration.between(request.getIssueTime().toInstant(), request.getExpirationTime().toInstant()))
                .isLessThanOrEqualTo(Duration.ofMinutes(5));
        assertThat(request.getClaims()).containsEntry("state", login.state())
                .containsEntry("nonce", login.nonce())
                .containsEntry("code_challenge", AuthorizationRequest.s256(TestConnectors.VERIFIER))
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("response_type", "code")
                .containsEntry("client_id", TestProvider.CLIENT_ID)
                .containsEntry("redirect_uri", TestConnectors.CALLBACK.toString())
                .containsEntry("scope", "openid profile service:CITY_PORTAL")
                .containsEntry("acr_values", BASIC)
                .containsEntry("ui_locales", "fr");
        assertThat(request.getJSONObjectClaim("claims")).isEqualTo(Map.of("id_token", Map.of(
                NS + "BENationalNumber", Map.of("essential", true), "given_name", Map.of("essential", false))));

        provider.tokenReturns(TestProvider.encryptTo(passerelle.encryption, TestProvider.sign(
                provider.idClaims(clock.instant(), login.nonce())
                        .claim("acr", BASIC)
                        .claim(NS + "BENationalNumber", NATIONAL_NUMBER)
                        .claim("given_name", "Lotte").claim("family_name", "Janssens")
                        .claim(NS + "claim_device", "{\"os\":\"ANDROID\"}")
                        .build())));
        UpstreamIdentity identity = connector.finish(login, new Callback(
                Map.of("code", "itsme-code", "state", login.state(), "iss", provider.issuer), null));

        assertThat(identity.loa()).isEqualTo(Loa.SUBSTANTIAL);
        assertThat(identity.subject()).isEqualTo("upstream-subject-42");
        assertThat(identity.amr()).containsExactly("hwk", "pin");
        assertThat(identity.attributes()).containsOnly(Map.entry("national_number", NATIONAL_NUMBER),
                Map.entry("given_name", "Lotte"), Map.entry("family_name", "Janssens"));
        assertThatTheClientAssertionIsPasserelles(login);
    }

    @Test
    void aHighLoginAsksForAcrAdvancedAndTheIdTokensAmrWins() throws Exception {
        OidcConnector connector = TestConnectors.create(TestConnectors.itsme(provider), clock);
        LoginContext login = TestConnectors.login(Loa.HIGH);

        JWTClaimsSet request = requestObjectAsTheProviderReceivesIt(connector.start(login));
        assertThat(request.getStringClaim("acr_values")).isEqualTo(ADVANCED);

        // Encrypted to the retired key: an upstream may still use the key it cached before our rotation.
        provider.tokenReturns(TestProvider.encryptTo(passerelle.retiredEncryption, TestProvider.sign(
                provider.idClaims(clock.instant(), login.nonce()).claim("acr", ADVANCED)
                        .claim("amr", List.of("hwk", "face")).claim(NS + "BENationalNumber", "05073003326").build())));
        UpstreamIdentity identity = connector.finish(login, new Callback(
                Map.of("code", "c", "state", login.state(), "iss", provider.issuer), null));

        assertThat(identity.loa()).isEqualTo(Loa.HIGH);
        assertThat(identity.amr()).containsExactly("hwk", "face");
        assertThat(identity.attributes()).containsEntry("national_number", "05073003326");
    }

    @Test
    void aSignedAndEncryptedUserInfoIsDecryptedVerifiedAndMapped() throws Exception {
        Map<String, String> fields = TestConnectors.itsme(provider);
        fields.put("userinfo", "signed_and_encrypted");
        OidcConnector connector = TestConnectors.create(fields, clock);
        LoginContext login = TestConnectors.login(Loa.SUBSTANTIAL);
        connector.start(login);
        provider.tokenReturns(TestProvider.encryptTo(passerelle.encryption, TestProvider.sign(
                provider.idClaims(clock.instant(), login.nonce()).claim("acr", BASIC).build())));
        JWTClaimsSet userInfo = new JWTClaimsSet.Builder().subject("upstream-subject-42").issuer(provider.issuer)
                .audience(TestProvider.CLIENT_ID).claim(NS + "BENationalNumber", NATIONAL_NUMBER)
                .claim("family_name", "Janssens").claim("address", Map.of("locality", "Gent")).build();
        provider.userInfoAnswers(aResponse().withHeader("Content-Type", "application/jwt")
                .withBody(TestProvider.encryptTo(passerelle.encryption, TestProvider.sign(userInfo))));

        UpstreamIdentity identity = connector.finish(login, new Callback(
                Map.of("code", "c", "state", login.state(), "iss", provider.issuer), null));

        assertThat(identity.attributes()).containsOnly(Map.entry("national_number", NATIONAL_NUMBER),
                Map.entry("family_name", "Janssens"));
        assertThat(provider.server.findAll(getRequestedFor(urlEqualTo("/op/userinfo")))).hasSize(1);
    }

    /** Plays the browser: follows the URL to the provider, then opens the request object the provider got. */
    private JWTClaimsSet requestObjectAsTheProviderReceivesIt(URI authorize) throws Exception {
        try (HttpClient browser = HttpClient.newHttpClient()) {
            HttpResponse<String> page = browser.send(HttpRequest.newBuilder(authorize).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
        }
        List<LoggedRequest> received = provider.server.findAll(getRequestedFor(urlPathEqualTo("/op/authorize")));
        String request = received.get(received.size() - 1).queryParameter("request").firstValue();

        JWEObject jwe = JWEObject.parse(request);
        assertThat(jwe.getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.RSA_OAEP_256);
        assertThat(jwe.getHeader().getEncryptionMethod()).isEqualTo(EncryptionMethod.A256CBC_HS512);
        assertThat(jwe.getHeader().getContentType()).isEqualTo("JWT");
        assertThat(jwe.getHeader().getKeyID()).isEqualTo(TestProvider.ENCRYPTION.getKeyID());
        jwe.decrypt(new RSADecrypter(TestProvider.ENCRYPTION));
        SignedJWT signed = jwe.getPayload().toSignedJWT();
        assertThat(signed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(signed.getHeader().getKeyID()).isEqualTo(passerelle.rs256.getKeyID());
        assertThat(signed.verify(new RSASSAVerifier(passerelle.rs256.toRSAPublicKey()))).isTrue();
        return signed.getJWTClaimsSet();
    }

    private void assertThatTheClientAssertionIsPasserelles(LoginContext login) throws Exception {
        LoggedRequest token = provider.server.findAll(postRequestedFor(urlEqualTo("/op/token"))).get(0);
        assertThat(token.getHeader("Authorization")).isNull();
        Map<String, String> form = TestProvider.form(token.getBodyAsString());
        assertThat(form).containsEntry("client_assertion_type", ClientAuthentication.ASSERTION_TYPE)
                .containsEntry("code_verifier", login.codeVerifier()).containsEntry("code", "itsme-code");
        SignedJWT assertion = SignedJWT.parse(form.get("client_assertion"));
        assertThat(assertion.getHeader().getKeyID()).isEqualTo(passerelle.rs256.getKeyID());
        assertThat(assertion.verify(new RSASSAVerifier(passerelle.rs256.toRSAPublicKey()))).isTrue();
        JWTClaimsSet claims = assertion.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(TestProvider.CLIENT_ID);
        assertThat(claims.getSubject()).isEqualTo(TestProvider.CLIENT_ID);
        assertThat(claims.getAudience()).containsExactly(provider.issuer + "/token");
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isLessThanOrEqualTo(Duration.ofSeconds(60));
    }
}

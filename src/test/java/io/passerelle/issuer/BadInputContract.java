package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Malformed and hostile requests: each gets the error its spec names, and none changes state
 * (no token is issued; a replayed grant revokes what it had issued).
 */
abstract class BadInputContract extends AbstractIssuerIntegrationTest {

    @DynamicPropertySource
    static void shortCodes(DynamicPropertyRegistry registry) {
        registry.add("passerelle.tokens.authorization-code", () -> "3s");
    }

    // ---- authorization endpoint: never redirect to an unverified URI ----

    @Test
    void unknownClientGetsErrorPageNotRedirect() throws Exception {
        HttpResponse<String> response = get(URI.create(op.getAuthorizationEndpointURI()
                + "?response_type=code&scope=openid&client_id=nobody&redirect_uri=https://evil.example/cb"
                + "&code_challenge=" + new CodeVerifier().getValue() + "&code_challenge_method=S256&ui_locales=fr"));
        assertErrorPage(response, "Le site qui vous a envoyé ici n");
    }

    @Test
    void nearMissRedirectUrisGetErrorPageNotRedirect() throws Exception {
        for (String nearMiss : List.of(PortalFixture.CALLBACK + "/", PortalFixture.CALLBACK + "?x=1",
                "https://city.example.evil/callback", "https://CITY.example/callback", "http://city.example/callback",
                PortalFixture.CALLBACK + "#frag", PortalFixture.CALLBACK.toUpperCase())) {
            HttpResponse<String> response = get(URI.create(op.getAuthorizationEndpointURI()
                    + "?response_type=code&scope=openid&client_id=" + PortalFixture.CITY + "&state=s1&redirect_uri="
                    + enc(nearMiss) + "&code_challenge=" + "a".repeat(43) + "&code_challenge_method=S256"));
            assertErrorPage(response, "address it has not registered");
        }
    }

    @Test
    void missingPkceIsRefusedWithInvalidRequest() throws Exception {
        signIn("citizen-bad", LOA_SUBSTANTIAL, "");
        HttpResponse<String> response = get(URI.create(op.getAuthorizationEndpointURI()
                + "?response_type=code&scope=openid&client_id=" + PortalFixture.CITY + "&state=s1&redirect_uri="
                + enc(PortalFixture.CALLBACK)));
        AuthorizationResponse parsed = AuthorizationResponse.parse(URI.create(location(response)));
        assertThat(parsed.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_request");
        assertThat(parsed.getIssuer().getValue()).isEqualTo(FIXTURE.issuer);
    }

    @Test
    void plainPkceIsRefused() throws Exception {
        signIn("citizen-bad", LOA_SUBSTANTIAL, "");
        HttpResponse<String> response = get(URI.create(op.getAuthorizationEndpointURI()
                + "?response_type=code&scope=openid&client_id=" + PortalFixture.CITY + "&state=s1&redirect_uri="
                + enc(PortalFixture.CALLBACK) + "&code_challenge=" + "a".repeat(43) + "&code_challenge_method=plain"));
        AuthorizationResponse parsed = AuthorizationResponse.parse(URI.create(location(response)));
        assertThat(parsed.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_request");
    }

    @Test
    void oversizedParameterGetsErrorPage() throws Exception {
        HttpResponse<String> response = get(URI.create(authorize(PortalFixture.CITY, PortalFixture.CALLBACK,
                new CodeVerifier()) + "&login_hint=" + "x".repeat(3000)));
        assertErrorPage(response, "could not be understood");
    }

    @Test
    void duplicatedParameterGetsErrorPage() throws Exception {
        signIn("citizen-bad", LOA_SUBSTANTIAL, "");
        HttpResponse<String> response = get(URI.create(authorize(PortalFixture.CITY, PortalFixture.CALLBACK,
                new CodeVerifier()) + "&client_id=" + PortalFixture.CITY));
        assertErrorPage(response, "could not be understood");
    }

    // ---- token endpoint ----

    @Test
    void wrongPkceVerifierIsInvalidGrantAndLeavesTheCodeToItsOwner() throws Exception {
        Grant grant = codeFor(PortalFixture.CITY);
        assertTokenError(exchange(grant.code(), new CodeVerifier()), 400, "invalid_grant");
        assertThat(exchange(grant.code(), grant.verifier()).indicatesSuccess()).isTrue();
    }

    @Test
    void missingPkceVerifierIsInvalidGrant() throws Exception {
        Grant grant = codeFor(PortalFixture.CITY);
        HttpResponse<String> response = postForm(op.getTokenEndpointURI(), "grant_type=authorization_code&code="
                + grant.code().getValue() + "&redirect_uri=" + enc(PortalFixture.CALLBACK) + "&client_assertion_type="
                + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") + "&client_assertion="
                + sign(claims(op.getTokenEndpointURI().toString(), 60)));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"invalid_grant\"");
    }

    @Test
    void replayedCodeIsRefusedAndRevokesTheTokensItIssued() throws Exception {
        Grant grant = codeFor(PortalFixture.CITY);
        Tokens tokens = exchange(grant.code(), grant.verifier()).toSuccessResponse().getTokens();
        assertThat(introspect(tokens.getAccessToken().getValue()).isActive()).isTrue();
        assertTokenError(exchange(grant.code(), grant.verifier()), 400, "invalid_grant");
        assertThat(introspect(tokens.getAccessToken().getValue()).isActive()).isFalse();
        assertThat(introspect(tokens.getRefreshToken().getValue()).isActive()).isFalse();
        HTTPResponse userInfo = new UserInfoRequest(op.getUserInfoEndpointURI(),
                (BearerAccessToken) tokens.getAccessToken()).toHTTPRequest().send();
        assertThat(userInfo.getStatusCode()).isEqualTo(401);
    }

    @Test
    void expiredCodeIsInvalidGrant() throws Exception {
        Grant grant = codeFor(PortalFixture.CITY);
        Thread.sleep(4_000);
        assertTokenError(exchange(grant.code(), grant.verifier()), 400, "invalid_grant");
    }

    @Test
    void reusedRefreshTokenIsRefusedAndRevokesTheWholeGrant() throws Exception {
        Grant grant = codeFor(PortalFixture.CITY);
        Tokens first = exchange(grant.code(), grant.verifier()).toSuccessResponse().getTokens();
        URI token = op.getTokenEndpointURI();
        Tokens second = OIDCTokenResponseParser.parse(new TokenRequest(token, cityAuth(token),
                new RefreshTokenGrant(first.getRefreshToken())).toHTTPRequest().send()).toSuccessResponse().getTokens();
        TokenResponse reuse = OIDCTokenResponseParser.parse(new TokenRequest(token, cityAuth(token),
                new RefreshTokenGrant(first.getRefreshToken())).toHTTPRequest().send());
        assertTokenError(reuse, 400, "invalid_grant");
        assertThat(introspect(second.getAccessToken().getValue()).isActive()).isFalse();
        TokenResponse afterRevocation = OIDCTokenResponseParser.parse(new TokenRequest(token, cityAuth(token),
                new RefreshTokenGrant(second.getRefreshToken())).toHTTPRequest().send());
        assertTokenError(afterRevocation, 400, "invalid_grant");
    }

    @Test
    void clientAssertionWithWrongAudienceIsInvalidClient() throws Exception {
        assertAssertionRefused(sign(claims("https://other.example/token", 60)));
    }

    @Test
    void expiredClientAssertionIsInvalidClient() throws Exception {
        assertAssertionRefused(sign(claims(op.getTokenEndpointURI().toString(), -120)));
    }

    @Test
    void replayedClientAssertionIsInvalidClient() throws Exception {
        Grant grant = codeFor(PortalFixture.CITY);
        String assertion = sign(claims(op.getTokenEndpointURI().toString(), 60));
        HTTPResponse firstUse = postToken(assertion, grant);
        assertThat(firstUse.getStatusCode()).isEqualTo(200);
        Grant another = codeFor(PortalFixture.CITY);
        assertThat(postToken(assertion, another).getStatusCode()).isEqualTo(401);
    }

    @Test
    void clientAssertionSignedWithAnotherKeyIsInvalidClient() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("city-1").build(),
                claims(op.getTokenEndpointURI().toString(), 60));
        jwt.sign(new ECDSASigner(FIXTURE.strangerKey));
        assertAssertionRefused(jwt.serialize());
    }

    @Test
    void unsignedClientAssertionIsInvalidClient() throws Exception {
        assertAssertionRefused(new PlainJWT(claims(op.getTokenEndpointURI().toString(), 60)).serialize());
    }

    @Test
    void oversizedAndDuplicatedTokenParametersAreInvalidRequest() throws Exception {
        Grant grant = codeFor(PortalFixture.CITY);
        String base = "grant_type=authorization_code&redirect_uri=" + enc(PortalFixture.CALLBACK)
                + "&code_verifier=" + grant.verifier().getValue()
                + "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        HttpResponse<String> tooLong = postForm(op.getTokenEndpointURI(), base + "&code=" + "c".repeat(5000)
                + "&client_assertion=" + sign(claims(op.getTokenEndpointURI().toString(), 60)));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("\"error\":\"invalid_request\"");
        HttpResponse<String> duplicated = postForm(op.getTokenEndpointURI(), base + "&code=" + grant.code().getValue()
                + "&code=" + grant.code().getValue()
                + "&client_assertion=" + sign(claims(op.getTokenEndpointURI().toString(), 60)));
        assertThat(duplicated.statusCode()).isEqualTo(400);
        assertThat(duplicated.body()).contains("\"error\":\"invalid_request\"");
        assertThat(exchange(grant.code(), grant.verifier()).indicatesSuccess())
                .as("the refused requests did not consume the code").isTrue();
    }

    @Test
    void aCodeSentTwiceAtTheSameMomentGivesTokensOnce() throws Exception {
        for (int trial = 0; trial < 5; trial++) {
            Grant grant = codeFor(PortalFixture.CITY);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                java.util.concurrent.Callable<Boolean> redeem = () -> {
                    go.await();
                    return exchange(grant.code(), grant.verifier()).indicatesSuccess();
                };
                var first = pool.submit(redeem);
                var second = pool.submit(redeem);
                go.countDown();
                assertThat(java.util.stream.Stream.of(first.get(), second.get()).filter(ok -> ok).count())
                        .as("trial " + trial + ": exactly one of two simultaneous redemptions succeeds").isEqualTo(1);
            }
        }
    }

    // ---- helpers ----

    private void assertAssertionRefused(String assertion) throws Exception {
        Grant grant = codeFor(PortalFixture.CITY);
        HTTPResponse response = postToken(assertion, grant);
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_client");
        assertThat(exchange(grant.code(), grant.verifier()).indicatesSuccess())
                .as("a refused client leaves the code unused").isTrue();
    }

    private HTTPResponse postToken(String assertion, Grant grant) throws Exception {
        HttpResponse<String> response = postForm(op.getTokenEndpointURI(), "grant_type=authorization_code&code="
                + grant.code().getValue() + "&redirect_uri=" + enc(PortalFixture.CALLBACK) + "&code_verifier="
                + grant.verifier().getValue() + "&client_id=" + PortalFixture.CITY + "&client_assertion_type="
                + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") + "&client_assertion=" + assertion);
        HTTPResponse converted = new HTTPResponse(response.statusCode());
        converted.setContentType(response.headers().firstValue("Content-Type").orElse("application/json"));
        converted.setBody(response.body());
        return converted;
    }

    private JWTClaimsSet claims(String audience, int expiresInSeconds) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(PortalFixture.CITY).subject(PortalFixture.CITY).audience(audience)
                .issueTime(new Date(now)).expirationTime(new Date(now + expiresInSeconds * 1000L))
                .jwtID(java.util.UUID.randomUUID().toString()).build();
    }

    private String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("city-1").build(), claims);
        jwt.sign(new RSASSASigner(FIXTURE.cityKey));
        return jwt.serialize();
    }

    private static void assertTokenError(TokenResponse response, int status, String error) {
        assertThat(response.indicatesSuccess()).isFalse();
        assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo(error);
        assertThat(response.toErrorResponse().getErrorObject().getHTTPStatusCode()).isEqualTo(status);
    }

    private static void assertErrorPage(HttpResponse<String> response, String text) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body()).contains(text).contains("PSL-").doesNotContain("Exception").doesNotContain("at io.");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

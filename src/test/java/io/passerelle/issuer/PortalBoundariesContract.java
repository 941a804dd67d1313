package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 11: a portal's tokens stay its own at introspection, one refresh token refreshes once even when
 * sent in parallel, client_secret_post works, and the API endpoints answer as APIs (401 with a challenge,
 * 405, 400 invalid_request), never with the sign-in page or a 500.
 */
abstract class PortalBoundariesContract extends AbstractIssuerIntegrationTest {

    static final String CLIENT_AUTH_REQUIRED =
            "{\"error\":\"invalid_client\",\"error_description\":\"client authentication is required\"}";

    @Autowired
    AuditLog audit;

    private final HttpClient api = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    // ---- introspection across portals (RFC 7662 2.2, 4) ----

    @Test
    void anotherPortalLearnsOnlyThatTheTokenIsInactive() throws Exception {
        Tokens city = cityTokens();
        for (String token : List.of(city.getAccessToken().getValue(), city.getRefreshToken().getValue())) {
            HttpResponse<String> region = post("/oauth2/introspect", "token=" + token, basic(PortalFixture.REGION));
            assertThat(region.statusCode()).isEqualTo(200);
            assertThat(region.body()).isEqualTo("{\"active\":false}");
        }
        // The token's own portal still sees it all.
        Map<String, Object> own = JSONObjectUtils.parse(introspect(city.getAccessToken().getValue()).toJSONObject().toJSONString());
        assertThat(own).containsEntry("active", true).containsEntry("client_id", PortalFixture.CITY);
    }

    @Test
    void aResourceServerNamedInThePortalFileMayIntrospect() throws Exception {
        Tokens city = cityTokens();
        HttpResponse<String> named = post("/oauth2/introspect", "token=" + city.getAccessToken().getValue()
                + "&client_id=" + PortalFixture.POST + "&client_secret=" + enc(PortalFixture.REGION_SECRET), null);
        assertThat(named.statusCode()).isEqualTo(200);
        Map<String, Object> claims = JSONObjectUtils.parse(named.body());
        assertThat(claims).containsEntry("active", true).containsEntry("client_id", PortalFixture.CITY)
                .containsEntry("token_type", "Bearer");
        assertThat(claims.get("sub")).isEqualTo(verifyAccessToken(city.getAccessToken()).getSubject());
        // ...but not another portal's tokens: the region's file names nobody.
        Tokens region = regionTokens();
        HttpResponse<String> other = post("/oauth2/introspect", "token=" + region.getAccessToken().getValue()
                + "&client_id=" + PortalFixture.POST + "&client_secret=" + enc(PortalFixture.REGION_SECRET), null);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo("{\"active\":false}");
    }

    // ---- one refresh token, parallel requests (RFC 6749 5.2, RFC 9700 4.14.2) ----

    @Test
    void parallelRefreshesWithOneTokenGiveOneSuccessAndRevokeTheGrant() throws Exception {
        int parallel = 4;
        for (int round = 0; round < 5; round++) {
            Instant roundStart = Instant.now().minusSeconds(1);
            Tokens tokens = cityTokens();
            URI endpoint = op.getTokenEndpointURI();
            CountDownLatch go = new CountDownLatch(1);
            List<HTTPResponse> responses = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<HTTPResponse>> sent = new ArrayList<>();
                for (int i = 0; i < parallel; i++) {
                    TokenRequest request = new TokenRequest(endpoint, cityAuth(endpoint),
                            new RefreshTokenGrant(tokens.getRefreshToken()));
                    Callable<HTTPResponse> refresh = () -> {
                        go.await();
                        return request.toHTTPRequest().send();
                    };
                    sent.add(pool.submit(refresh));
                }
                go.countDown();
                for (Future<HTTPResponse> response : sent) {
                    responses.add(response.get());
                }
            }
            String as = "round " + round;
            assertThat(responses).as(as).extracting(HTTPResponse::getStatusCode)
                    .containsOnly(200, 400).filteredOn(status -> status == 200).hasSize(1);
            OIDCTokenResponse winner = null;
            for (HTTPResponse response : responses) {
                if (response.getStatusCode() == 400) {
                    assertThat(JSONObjectUtils.parse(response.getBody())).as(as).isEqualTo(Map.of("error", "invalid_grant"));
                } else {
                    winner = (OIDCTokenResponse) OIDCTokenResponseParser.parse(response).toSuccessResponse();
                }
            }
            // The reuse revoked the grant after the winner's write: its new tokens are dead too.
            assertThat(introspect(winner.getTokens().getAccessToken().getValue()).isActive()).as(as).isFalse();
            List<AuditEvent> revoked = audit.since(roundStart, 1000).stream()
                    .filter(event -> event.type() == AuditType.GRANT_REVOKED && PortalFixture.CITY.equals(event.clientId()))
                    .toList();
            assertThat(revoked).as(as).isNotEmpty().allSatisfy(event -> assertThat(event.reason())
                    .isEqualTo("refresh token reused (RFC 9700 4.14.2): the whole grant is revoked"));
        }
    }

    // ---- client_secret_post (OIDC Core 9, RFC 6749 2.3.1) ----

    @Test
    void aClientSecretPostPortalExchangesItsCode() throws Exception {
        Grant grant = codeFor(PortalFixture.POST);
        URI endpoint = op.getTokenEndpointURI();
        HTTPResponse basic = new TokenRequest(endpoint, new ClientSecretBasic(new ClientID(PortalFixture.POST),
                new Secret(PortalFixture.REGION_SECRET)), new AuthorizationCodeGrant(grant.code(),
                URI.create(PortalFixture.CALLBACK), grant.verifier())).toHTTPRequest().send();
        assertThat(basic.getStatusCode()).as("only the registered method").isEqualTo(401);
        assertThat(JSONObjectUtils.parse(basic.getBody())).isEqualTo(Map.of("error", "invalid_client"));

        OIDCTokenResponse tokens = tokens(OIDCTokenResponseParser.parse(new TokenRequest(endpoint,
                new ClientSecretPost(new ClientID(PortalFixture.POST), new Secret(PortalFixture.REGION_SECRET)),
                new AuthorizationCodeGrant(grant.code(), URI.create(PortalFixture.CALLBACK), grant.verifier()))
                .toHTTPRequest().send()));
        var idToken = idTokenValidator(PortalFixture.POST, JWSAlgorithm.RS256).validate(tokens.getOIDCTokens().getIDToken(), null);
        assertThat(idToken.getAudience()).containsExactly(new com.nimbusds.oauth2.sdk.id.Audience(PortalFixture.POST));
        // client_secret_post at introspection too (discovery lists it there).
        HttpResponse<String> own = post("/oauth2/introspect", "token=" + tokens.getOIDCTokens().getAccessToken().getValue()
                + "&client_id=" + PortalFixture.POST + "&client_secret=" + enc(PortalFixture.REGION_SECRET), null);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(JSONObjectUtils.parse(own.body())).containsEntry("active", true).containsEntry("client_id", PortalFixture.POST);
    }

    // ---- API endpoints answer as APIs, whatever Accept says ----

    static Stream<Arguments> unauthenticatedApiRequests() {
        List<Arguments> rows = new ArrayList<>();
        String form = "application/x-www-form-urlencoded";
        for (String accept : new String[] {"*/*", "application/json", "text/html", null}) {
            rows.add(Arguments.of("GET", "/userinfo", null, null, accept, 401, "WWW-Authenticate",
                    "Bearer resource_metadata=\"" + FIXTURE.issuer + "/.well-known/oauth-protected-resource/userinfo\"", ""));
            rows.add(Arguments.of("POST", "/oauth2/introspect", form, "token=abc", accept, 401,
                    "WWW-Authenticate", ClientAuthenticationEntryPoint.CHALLENGE, CLIENT_AUTH_REQUIRED));
            rows.add(Arguments.of("POST", "/oauth2/revoke", form, "token=abc", accept, 401,
                    "WWW-Authenticate", ClientAuthenticationEntryPoint.CHALLENGE, CLIENT_AUTH_REQUIRED));
            rows.add(Arguments.of("POST", "/oauth2/par", form, "response_type=code&scope=openid", accept, 401,
                    "WWW-Authenticate", ClientAuthenticationEntryPoint.CHALLENGE, CLIENT_AUTH_REQUIRED));
            rows.add(Arguments.of("POST", "/oauth2/token", form, "grant_type=authorization_code&code=abc", accept, 401,
                    "WWW-Authenticate", ClientAuthenticationEntryPoint.CHALLENGE, CLIENT_AUTH_REQUIRED));
            rows.add(Arguments.of("GET", "/oauth2/token", null, null, accept, 405, "Allow", "POST",
                    "{\"error\":\"invalid_request\",\"error_description\":\"/oauth2/token accepts POST only\"}"));
            rows.add(Arguments.of("GET", "/oauth2/introspect", null, null, accept, 405, "Allow", "POST",
                    "{\"error\":\"invalid_request\",\"error_description\":\"/oauth2/introspect accepts POST only\"}"));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1} Accept {4} -> {5}")
    @MethodSource("unauthenticatedApiRequests")
    void apiEndpointsNeverSendToTheSignInPage(String method, String path, String contentType, String body, String accept,
                                              int status, String header, String headerValue, String expectedBody)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(FIXTURE.issuer + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> response = api.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.headers().allValues(header)).containsExactly(headerValue);
        assertThat(response.body()).isEqualTo(expectedBody);
    }

    // ---- PAR with a body that is no authorization request (RFC 9126 2.3) ----

    static Stream<Arguments> badPushedRequests() {
        String form = "application/x-www-form-urlencoded";
        String notARequest = "{\"error_description\":\"not an authorization request: a form body"
                + " (application/x-www-form-urlencoded) with response_type=code, client_id, redirect_uri, scope and"
                + " code_challenge is expected\",\"error\":\"invalid_request\"}";
        return Stream.of(
                Arguments.of(form, "", notARequest),
                Arguments.of("application/json", "{\"response_type\":\"code\",\"scope\":\"openid\"}", notARequest),
                // The server's own checks, now reached (RFC 6749 4.1.2.1 names the parameter).
                Arguments.of(form, "scope=openid&redirect_uri=" + enc("https://region.example/cb"), missing("response_type")),
                Arguments.of(form, "response_type=code", missing("client_id")),
                Arguments.of(form, "response_type=code&scope=openid&redirect_uri=" + enc("https://region.example/cb"),
                        missing("client_id")));
    }

    private static String missing(String parameter) {
        return "{\"error\":\"invalid_request\",\"error_description\":\"OAuth 2.0 Parameter: " + parameter
                + "\",\"error_uri\":\"https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.2.1\"}";
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badPushedRequests")
    void aPushedRequestThatIsNoAuthorizationRequestIsInvalidRequest(String contentType, String body, String expected)
            throws Exception {
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(URI.create(FIXTURE.issuer + "/oauth2/par"))
                .header("Content-Type", contentType).header("Authorization", basic(PortalFixture.REGION))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSONObjectUtils.parse(response.body())).isEqualTo(JSONObjectUtils.parse(expected));
    }

    // ---- helpers ----

    private Tokens cityTokens() throws Exception {
        Grant grant = codeFor(PortalFixture.CITY);
        return exchange(grant.code(), grant.verifier()).toSuccessResponse().getTokens();
    }

    private Tokens regionTokens() throws Exception {
        signIn("citizen-" + java.util.UUID.randomUUID(), LOA_SUBSTANTIAL, "");
        com.nimbusds.oauth2.sdk.pkce.CodeVerifier verifier = new com.nimbusds.oauth2.sdk.pkce.CodeVerifier();
        var code = com.nimbusds.oauth2.sdk.AuthorizationResponse.parse(URI.create(location(
                get(authorize(PortalFixture.REGION, "https://region.example/cb", verifier)))))
                .toSuccessResponse().getAuthorizationCode();
        URI endpoint = op.getTokenEndpointURI();
        return tokens(OIDCTokenResponseParser.parse(new TokenRequest(endpoint, new ClientSecretBasic(
                new ClientID(PortalFixture.REGION), new Secret(PortalFixture.REGION_SECRET)),
                new AuthorizationCodeGrant(code, URI.create("https://region.example/cb"), verifier))
                .toHTTPRequest().send())).getTokens();
    }

    private HttpResponse<String> post(String path, String form, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(FIXTURE.issuer + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return api.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String clientId) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(PortalFixture.REGION_SECRET))
                .getBytes(StandardCharsets.UTF_8));
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

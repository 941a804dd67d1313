package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9700 2.1.1: every error the authorization request itself shows is answered before the citizen is
 * sent to sign in, to the portal's redirect URI with its state and our issuer (RFC 9207). And OIDC Core
 * 3.1.2.1: the endpoint answers a form-posted request as it answers the same request by GET.
 */
class H2AuthorizeBeforeSignInTest extends AbstractIssuerIntegrationTest {

    private static final String CHALLENGE = "&code_challenge=" + new CodeVerifier().getValue().substring(0, 43);

    static Stream<Arguments> faultyRequests() {
        String s256 = "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        return Stream.of(
                Arguments.of("no code_challenge", "&nonce=n1", "invalid_request"),
                Arguments.of("plain PKCE", CHALLENGE + "&code_challenge_method=plain", "invalid_request"),
                Arguments.of("PKCE without method", CHALLENGE, "invalid_request"),
                Arguments.of("unsigned request object", s256 + "&request=eyJhbGciOiJub25lIn0.eyJzY29wZSI6Im9wZW5pZCJ9.",
                        "request_not_supported"),
                Arguments.of("prompt none with login", s256 + "&prompt=none%20login", "invalid_request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faultyRequests")
    void refusedToThePortalBeforeAnySignIn(String what, String parameters, String error) throws Exception {
        HttpResponse<String> response = get(URI.create(op.getAuthorizationEndpointURI() + "?response_type=code&scope=openid"
                + "&client_id=" + PortalFixture.CITY + "&state=st-1&redirect_uri=" + enc(PortalFixture.CALLBACK) + parameters));
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(location(response)).startsWith(PortalFixture.CALLBACK + "?");
        AuthorizationErrorResponse refused = AuthorizationResponse.parse(URI.create(location(response))).toErrorResponse();
        assertThat(refused.getErrorObject().getCode()).isEqualTo(error);
        assertThat(refused.getState().getValue()).isEqualTo("st-1");
        assertThat(refused.getIssuer().getValue()).isEqualTo(FIXTURE.issuer);
    }

    @Test
    void aFormPostedRequestIsServedLikeTheSameGetThroughTheSignIn() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        String form = authorize(PortalFixture.CITY, PortalFixture.CALLBACK, verifier).getRawQuery() + "&idp_hint=test-high";
        // As the conformance suite's browser posts it: no Accept header of ours.
        HttpResponse<String> response = browser.send(java.net.http.HttpRequest.newBuilder(op.getAuthorizationEndpointURI())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);

        // Upstream and back: the broker resumes the posted request with all its parameters.
        HttpResponse<String> callback = get(upstreamFrom(response));
        String next = location(callback);
        if (next.startsWith(FIXTURE.issuer)) {
            next = location(get(URI.create(next)));
        }
        AuthorizationResponse parsed = AuthorizationResponse.parse(URI.create(next));
        assertThat(parsed.indicatesSuccess()).as(next).isTrue();
        assertThat(exchange(parsed.toSuccessResponse().getAuthorizationCode(), verifier).indicatesSuccess()).isTrue();
    }

    @Test
    void aPortalWithOptionalPkceMustSendANonceInstead() throws Exception {
        String base = op.getAuthorizationEndpointURI() + "?response_type=code&scope=openid&client_id=" + PortalFixture.POST
                + "&state=st-2&redirect_uri=" + enc(PortalFixture.CALLBACK);
        AuthorizationErrorResponse refused = AuthorizationResponse.parse(URI.create(location(get(URI.create(base)))))
                .toErrorResponse();
        assertThat(refused.getErrorObject().getCode()).isEqualTo("invalid_request");
        assertThat(refused.getErrorObject().getDescription()).contains("nonce");

        signIn("citizen-nonce", LOA_SUBSTANTIAL, "");
        AuthorizationResponse granted = AuthorizationResponse.parse(URI.create(location(get(URI.create(base + "&nonce=n-42")))));
        assertThat(granted.indicatesSuccess()).isTrue();
        URI token = op.getTokenEndpointURI();
        var tokens = tokens(com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser.parse(new com.nimbusds.oauth2.sdk.TokenRequest(
                token, new com.nimbusds.oauth2.sdk.auth.ClientSecretPost(new com.nimbusds.oauth2.sdk.id.ClientID(PortalFixture.POST),
                        new com.nimbusds.oauth2.sdk.auth.Secret(PortalFixture.REGION_SECRET)),
                new com.nimbusds.oauth2.sdk.AuthorizationCodeGrant(granted.toSuccessResponse().getAuthorizationCode(),
                        URI.create(PortalFixture.CALLBACK))).toHTTPRequest().send()));
        assertThat(tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-42");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

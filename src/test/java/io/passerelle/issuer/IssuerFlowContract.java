package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import org.junit.jupiter.api.Test;

/**
 * The portal's whole journey, end to end: discovery, PAR, authorize, code, token, userinfo, refresh,
 * introspection, revocation and logout; every token verified against the published JWKS by Nimbus.
 */
abstract class IssuerFlowContract extends AbstractIssuerIntegrationTest {

    @Test
    void discoveryListsExactlyWhatIsSupported() {
        assertThat(op.getIssuer().getValue()).isEqualTo(FIXTURE.issuer);
        assertThat(op.getResponseTypes()).containsExactly(ResponseType.CODE);
        assertThat(op.getGrantTypes()).containsExactlyInAnyOrder(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);
        assertThat(op.getCodeChallengeMethods()).containsExactly(CodeChallengeMethod.S256);
        assertThat(op.getTokenEndpointAuthMethods()).containsExactlyInAnyOrder(ClientAuthenticationMethod.PRIVATE_KEY_JWT,
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST,
                ClientAuthenticationMethod.NONE);
        assertThat(op.getIntrospectionEndpointAuthMethods()).containsExactly(ClientAuthenticationMethod.PRIVATE_KEY_JWT,
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST);
        assertThat(op.getRevocationEndpointAuthMethods()).containsExactly(ClientAuthenticationMethod.PRIVATE_KEY_JWT,
                ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST);
        assertThat(op.getIDTokenJWSAlgs()).containsExactlyInAnyOrder(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
        assertThat(op.supportsAuthorizationResponseIssuerParam()).isTrue();
        assertThat(op.getPushedAuthorizationRequestEndpointURI()).isNotNull();
        assertThat(op.getEndSessionEndpointURI()).isNotNull();
        assertThat(op.getIntrospectionEndpointURI()).isNotNull();
        assertThat(op.getRevocationEndpointURI()).isNotNull();
        assertThat(op.getCustomParameters()).doesNotContainKeys("dpop_signing_alg_values_supported",
                "device_authorization_endpoint", "registration_endpoint");
    }

    @Test
    void portalJourneyFromPushedRequestToLogout() throws Exception {
        // Pushed authorization request, authenticated with private_key_jwt (RFC 9126).
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        Nonce nonce = new Nonce();
        AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope("openid", "profile"), new ClientID(PortalFixture.CITY), URI.create(PortalFixture.CALLBACK))
                .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256).build();
        URI par = op.getPushedAuthorizationRequestEndpointURI();
        PushedAuthorizationResponse pushed = PushedAuthorizationResponse.parse(
                new PushedAuthorizationRequest(par, cityAuth(par), request).toHTTPRequest().send());
        assertThat(pushed.indicatesSuccess()).isTrue();
        URI authorize = new AuthorizationRequest.Builder(pushed.toSuccessResponse().getRequestURI(),
                new ClientID(PortalFixture.CITY)).endpointURI(op.getAuthorizationEndpointURI()).build().toURI();

        // No session yet: the citizen is sent to sign in, then comes back with a code (and iss, RFC 9207).
        assertThat(location(get(authorize))).startsWith(FIXTURE.issuer + "/signin?login=");
        signIn("citizen-1", LOA_HIGH, "hwk sc pin");
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(location(get(authorize))));
        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.getState()).isEqualTo(state);
        assertThat(response.getIssuer()).isEqualTo(new Issuer(FIXTURE.issuer));
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();

        // Code for tokens.
        URI tokenEndpoint = op.getTokenEndpointURI();
        OIDCTokenResponse tokens = tokens(OIDCTokenResponseParser.parse(new TokenRequest(tokenEndpoint,
                cityAuth(tokenEndpoint), new AuthorizationCodeGrant(code, URI.create(PortalFixture.CALLBACK), verifier))
                .toHTTPRequest().send()));
        SignedJWT idToken = (SignedJWT) tokens.getOIDCTokens().getIDToken();
        AccessToken accessToken = tokens.getOIDCTokens().getAccessToken();
        RefreshToken refreshToken = tokens.getOIDCTokens().getRefreshToken();
        assertThat(refreshToken).isNotNull();

        // The ID token, verified against the published JWKS by an independent client.
        IDTokenClaimsSet claims = idTokenValidator(PortalFixture.CITY, JWSAlgorithm.RS256).validate(idToken, nonce);
        assertThat(idToken.getHeader().getKeyID()).isNotBlank();
        String sub = claims.getSubject().getValue();
        assertThat(sub).as("pairwise (OIDC Core 8.1): never the internal citizen id").isNotEqualTo("citizen-1")
                .matches("[A-Za-z0-9_-]{43}");
        assertThat(claims.getACR().getValue()).isEqualTo(LOA_HIGH);
        assertThat(claims.getAMR()).extracting(Object::toString).containsExactly("hwk", "sc", "pin");
        assertThat(claims.getAuthenticationTime()).isNotNull();
        assertThat(claims.getStringClaim("sid")).isNotBlank();
        AccessTokenValidator.validate(accessToken, JWSAlgorithm.RS256, claims.getAccessTokenHash());

        // The access token is a JWT signed by the same published keys.
        JWTClaimsSet access = verifyAccessToken(accessToken);
        assertThat(access.getIssuer()).isEqualTo(FIXTURE.issuer);
        assertThat(access.getSubject()).as("the same subject for introspection").isEqualTo(sub);

        // Userinfo with the access token.
        UserInfoResponse userInfo = UserInfoResponse.parse(new UserInfoRequest(op.getUserInfoEndpointURI(),
                (BearerAccessToken) accessToken).toHTTPRequest().send());
        assertThat(userInfo.indicatesSuccess()).isTrue();
        assertThat(userInfo.toSuccessResponse().getUserInfo().getSubject().getValue()).isEqualTo(sub);
        assertThat(introspect(accessToken.getValue()).getSubject().getValue()).isEqualTo(sub);

        // Refresh: rotated refresh token, new ID token for the same sign-in.
        OIDCTokenResponse refreshed = tokens(OIDCTokenResponseParser.parse(new TokenRequest(tokenEndpoint,
                cityAuth(tokenEndpoint), new RefreshTokenGrant(refreshToken)).toHTTPRequest().send()));
        RefreshToken rotated = refreshed.getOIDCTokens().getRefreshToken();
        assertThat(rotated).isNotNull().isNotEqualTo(refreshToken);
        SignedJWT refreshedIdToken = (SignedJWT) refreshed.getOIDCTokens().getIDToken();
        IDTokenClaimsSet refreshedClaims = idTokenValidator(PortalFixture.CITY, JWSAlgorithm.RS256)
                .validate(refreshedIdToken, null);
        assertThat(refreshedClaims.getSubject()).isEqualTo(claims.getSubject());
        assertThat(refreshedClaims.getAuthenticationTime()).isEqualTo(claims.getAuthenticationTime());
        assertThat(refreshedClaims.getACR()).isEqualTo(claims.getACR());
        AccessToken refreshedAccess = refreshed.getOIDCTokens().getAccessToken();
        assertThat(introspect(refreshedAccess.getValue()).isActive()).isTrue();

        // Revocation (RFC 7009) of the refresh token ends the grant: its access token is inactive too.
        URI revocation = op.getRevocationEndpointURI();
        assertThat(new TokenRevocationRequest(revocation, cityAuth(revocation), rotated).toHTTPRequest().send()
                .getStatusCode()).isEqualTo(200);
        assertThat(introspect(rotated.getValue()).isActive()).isFalse();
        assertThat(introspect(refreshedAccess.getValue()).isActive()).isFalse();

        // RP-initiated logout to a registered post-logout URI ends the browser session.
        URI logout = new LogoutRequest(op.getEndSessionEndpointURI(), refreshedIdToken,
                URI.create(PortalFixture.LOGGED_OUT), new State("bye")).toURI();
        assertThat(location(get(logout))).isEqualTo(PortalFixture.LOGGED_OUT + "?state=bye");
        assertThat(location(get(authorize(PortalFixture.CITY, PortalFixture.CALLBACK, new CodeVerifier()))))
                .as("signed out: the next authorization needs a new sign-in")
                .startsWith(FIXTURE.issuer + "/signin?login=");
    }

    @Test
    void clientSecretBasicPortalGetsEs256IdTokens() throws Exception {
        signIn("citizen-2", LOA_SUBSTANTIAL, "mfa");
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(location(
                get(authorize(PortalFixture.REGION, "https://region.example/cb", verifier)))));
        URI tokenEndpoint = op.getTokenEndpointURI();
        OIDCTokenResponse tokens = tokens(OIDCTokenResponseParser.parse(new TokenRequest(tokenEndpoint,
                new ClientSecretBasic(new ClientID(PortalFixture.REGION), new Secret(PortalFixture.REGION_SECRET)),
                new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(),
                        URI.create("https://region.example/cb"), verifier)).toHTTPRequest().send()));
        SignedJWT idToken = (SignedJWT) tokens.getOIDCTokens().getIDToken();
        assertThat(idToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        IDTokenClaimsSet claims = idTokenValidator(PortalFixture.REGION, JWSAlgorithm.ES256).validate(idToken, null);
        assertThat(claims.getACR().getValue()).isEqualTo(LOA_SUBSTANTIAL);
    }

    @Test
    void portalWithKeysAtJwksUriAuthenticatesWithPs256Assertions() throws Exception {
        signIn("citizen-4", LOA_HIGH, "hwk");
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(location(
                get(authorize(PortalFixture.FEDERAL, PortalFixture.CALLBACK, verifier)))));
        URI tokenEndpoint = op.getTokenEndpointURI();
        PrivateKeyJWT assertion = new PrivateKeyJWT(new ClientID(PortalFixture.FEDERAL), tokenEndpoint,
                JWSAlgorithm.PS256, FIXTURE.federalKey.toPrivateKey(), FIXTURE.federalKey.getKeyID(), null);
        OIDCTokenResponse tokens = tokens(OIDCTokenResponseParser.parse(new TokenRequest(tokenEndpoint, assertion,
                new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(),
                        URI.create(PortalFixture.CALLBACK), verifier)).toHTTPRequest().send()));
        idTokenValidator(PortalFixture.FEDERAL, JWSAlgorithm.RS256).validate(tokens.getOIDCTokens().getIDToken(), null);
        // The same key with RS256 is refused: the algorithm is pinned by configuration, not read from the JWT.
        Grant another = codeFor(PortalFixture.FEDERAL);
        PrivateKeyJWT wrongAlg = new PrivateKeyJWT(new ClientID(PortalFixture.FEDERAL), tokenEndpoint,
                JWSAlgorithm.RS256, FIXTURE.federalKey.toPrivateKey(), FIXTURE.federalKey.getKeyID(), null);
        TokenResponse refused = OIDCTokenResponseParser.parse(new TokenRequest(tokenEndpoint, wrongAlg,
                new AuthorizationCodeGrant(another.code(), URI.create(PortalFixture.CALLBACK), another.verifier()))
                .toHTTPRequest().send());
        assertThat(refused.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_client");
    }

    @Test
    void metricsNeedTheScraperPassword() throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                URI.create(FIXTURE.issuer + "/actuator/prometheus"));
        String basic = java.util.Base64.getEncoder().encodeToString(("metrics:" + METRICS_PASSWORD).getBytes());
        HttpResponse<String> scraped = browser.send(request.header("Authorization", "Basic " + basic).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).contains("jvm_");
        String wrong = java.util.Base64.getEncoder().encodeToString("metrics:guess".getBytes());
        assertThat(browser.send(java.net.http.HttpRequest.newBuilder(URI.create(FIXTURE.issuer + "/actuator/prometheus"))
                .header("Authorization", "Basic " + wrong).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(401);
    }

    @Test
    void publicClientWithPkceGetsTokensButNoRefreshToken() throws Exception {
        signIn("citizen-3", LOA_SUBSTANTIAL, "");
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(location(
                get(authorize(PortalFixture.SPA, "http://localhost:4200/cb", verifier)))));
        OIDCTokenResponse tokens = tokens(OIDCTokenResponseParser.parse(new TokenRequest(
                op.getTokenEndpointURI(), new ClientID(PortalFixture.SPA), new AuthorizationCodeGrant(
                        response.toSuccessResponse().getAuthorizationCode(), URI.create("http://localhost:4200/cb"),
                        verifier)).toHTTPRequest().send()));
        assertThat(tokens.getOIDCTokens().getRefreshToken()).isNull();
        idTokenValidator(PortalFixture.SPA, JWSAlgorithm.RS256).validate(tokens.getOIDCTokens().getIDToken(), null);
    }

    @Test
    void healthIsOpenAndOtherActuatorEndpointsAreClosed() throws Exception {
        HttpResponse<String> health = browser.send(java.net.http.HttpRequest.newBuilder(
                URI.create(FIXTURE.issuer + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("UP");
        assertThat(get(URI.create(FIXTURE.issuer + "/actuator/prometheus")).statusCode()).isEqualTo(401);
        assertThat(get(URI.create(FIXTURE.issuer + "/actuator/env")).statusCode()).isIn(401, 403);
    }
}

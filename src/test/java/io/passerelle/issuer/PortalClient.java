package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;

import testonly.TestSignInConfiguration;


/**
 * A portal, as an independent client sees Passerelle: Nimbus oauth2-oidc-sdk for every OAuth call
 * and a plain HTTP client with a cookie jar as the citizen's browser (redirects inspected, never
 * followed). Nothing here uses Passerelle's own classes.
 */
public class PortalClient {

    public static final String LOA_HIGH = "http://eidas.europa.eu/LoA/high";
    public static final String LOA_SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial";

    protected final PortalFixture fixture;
    protected OIDCProviderMetadata op;
    protected HttpClient browser;

    public PortalClient(PortalFixture fixture) {
        this.fixture = fixture;
    }

    /** Reads the discovery document and opens a fresh browser. */
    public PortalClient connect() throws Exception {
        op = OIDCProviderMetadata.resolve(new Issuer(fixture.issuer));
        newBrowser();
        return this;
    }

    /** A fresh browser: its own cookie jar, and redirects are inspected, never followed. */
    protected void newBrowser() {
        CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        browser = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    protected void signIn(String citizen, String acr, String amr) throws IOException, InterruptedException {
        HttpResponse<String> response = browser.send(HttpRequest.newBuilder(
                        URI.create(fixture.issuer + TestSignInConfiguration.PATH + "?citizen=" + citizen + "&acr=" + acr
                                + "&amr=" + amr.replace(" ", "+")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("test sign-in failed: " + response.statusCode() + " " + response.body());
        }
    }

    protected HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = remember(browser.send(HttpRequest.newBuilder(uri).header("Accept", "text/html")
                .GET().build(), HttpResponse.BodyHandlers.ofString()));
        if (followResume && uri.getPath().startsWith("/broker/callback/") && response.headers().firstValue("Location")
                .filter(l -> l.startsWith(fixture.issuer + "/oauth2/authorize?")).isPresent()) {
            // Signed in: the browser goes back to the portal's authorization request, as the broker asks.
            return get(URI.create(location(response)));
        }
        if (autoConsent && response.headers().firstValue("Location").filter(PortalClient::isConsentPage).isPresent()) {
            // The citizen shares everything asked, and the browser follows back to the authorization endpoint.
            HttpResponse<String> answered = answerConsent("allow", claim -> true);
            return get(URI.create(fixture.issuer + "/consent").resolve(location(answered)));
        }
        return response;
    }

    /** When true, the broker's redirect from an upstream callback back to the authorization request is followed. */
    protected boolean followResume = true;

    /** When true, a consent page on the way is answered "share everything", as most citizens do. */
    protected boolean autoConsent = true;

    /** The consent page the browser was last sent to (its address names the login: /consent?login=...). */
    protected URI consentAddress;

    /** Whether a redirect goes to the consent page. */
    protected static boolean isConsentPage(String location) {
        return URI.create(location).getPath().equals("/consent");
    }

    /** The key chooser the browser was last sent to (its address names the login: /signin?login=...). */
    protected URI chooserAddress;

    /** Whether a redirect goes to the key chooser. */
    protected static boolean isChooser(String location) {
        return URI.create(location).getPath().equals("/signin");
    }

    private <T> HttpResponse<T> remember(HttpResponse<T> response) {
        response.headers().firstValue("Location").ifPresent(l -> {
            if (isConsentPage(l)) {
                consentAddress = URI.create(fixture.issuer + "/").resolve(l);
            } else if (isChooser(l)) {
                chooserAddress = URI.create(fixture.issuer + "/").resolve(l);
            }
        });
        return response;
    }

    /** The key chooser as the browser shows it now, with more query parameters (such as {@code lang=fr}) or none. */
    protected HttpResponse<String> chooserPage(String more) throws IOException, InterruptedException {
        assertThat(chooserAddress).as("the browser was sent to a key chooser").isNotNull();
        return get(more == null ? chooserAddress : URI.create(chooserAddress + "&" + more));
    }

    /** Where the chooser's form for {@code connector} posts (the login named in its address). */
    protected URI chooserAction(String connector) {
        assertThat(chooserAddress).as("the browser was sent to a key chooser").isNotNull();
        return URI.create(fixture.issuer + "/signin/" + connector + "?" + chooserAddress.getQuery());
    }

    /** The consent page as the browser shows it now. */
    protected HttpResponse<String> consentPage() throws IOException, InterruptedException {
        return consentPage(null);
    }

    /** The consent page as the browser shows it now, with more query parameters (such as {@code lang=fr}). */
    protected HttpResponse<String> consentPage(String more) throws IOException, InterruptedException {
        assertThat(consentAddress).as("the browser was sent to a consent page").isNotNull();
        URI page = more == null ? consentAddress : URI.create(consentAddress + "&" + more);
        return browser.send(HttpRequest.newBuilder(page).header("Accept", "text/html")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads the consent page and submits it: {@code decision} allow or deny, with the claims {@code keep} accepts ticked. */
    protected HttpResponse<String> answerConsent(String decision, java.util.function.Predicate<String> keep)
            throws IOException, InterruptedException {
        String page = consentPage().body();
        StringBuilder form = new StringBuilder("decision=" + decision)
                .append("&request=").append(formValue(page, "request"))
                .append("&_csrf=").append(formValue(page, "_csrf"));
        java.util.regex.Matcher claims = java.util.regex.Pattern.compile("name=\"claim\" value=\"([^\"]+)\"").matcher(page);
        while (claims.find()) {
            if (keep.test(claims.group(1))) {
                form.append("&claim=").append(claims.group(1));
            }
        }
        return postForm(URI.create(fixture.issuer + "/consent"), form.toString());
    }

    protected HttpResponse<String> postForm(URI uri, String form) throws IOException, InterruptedException {
        return remember(browser.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    /** The value of a hidden input in a page, URL-encoded for a form body. */
    protected static String formValue(String page, String name) {
        java.util.regex.Matcher value = java.util.regex.Pattern.compile(
                "name=\"" + java.util.regex.Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(page);
        if (!value.find()) {
            throw new AssertionError("no input " + name + " in the page: " + page);
        }
        return java.net.URLEncoder.encode(value.group(1), java.nio.charset.StandardCharsets.UTF_8);
    }

    protected ClientAuthentication cityAuth(URI audience) throws JOSEException {
        return new PrivateKeyJWT(new ClientID(PortalFixture.CITY), audience, JWSAlgorithm.RS256,
                fixture.cityKey.toPrivateKey(), fixture.cityKey.getKeyID(), null);
    }

    protected static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("expected a redirect, got " + response.statusCode()));
    }

    protected URI authorize(String clientId, String redirectUri, CodeVerifier verifier) {
        return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"), new ClientID(clientId),
                URI.create(redirectUri)).state(new State()).nonce(new Nonce())
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(op.getAuthorizationEndpointURI()).build().toURI();
    }

    protected IDTokenValidator idTokenValidator(String clientId, JWSAlgorithm alg) throws Exception {
        return new IDTokenValidator(new Issuer(fixture.issuer), new ClientID(clientId), alg, op.getJWKSetURI().toURL());
    }

    protected JWTClaimsSet verifyAccessToken(AccessToken token) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                JWKSourceBuilder.create(op.getJWKSetURI().toURL()).build()));
        return processor.process(token.getValue(), null);
    }

    protected TokenIntrospectionSuccessResponse introspect(String token) throws Exception {
        URI endpoint = op.getIntrospectionEndpointURI();
        return TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(endpoint, cityAuth(endpoint),
                new BearerAccessToken(token)).toHTTPRequest().send()).toSuccessResponse();
    }

    /** A signed-in citizen's authorization code for a portal, with its PKCE verifier. */
    protected Grant codeFor(String clientId) throws Exception {
        signIn("citizen-" + UUID.randomUUID(), LOA_SUBSTANTIAL, "");
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(location(
                get(authorize(clientId, PortalFixture.CALLBACK, verifier)))));
        return new Grant(response.toSuccessResponse().getAuthorizationCode(), verifier);
    }

    protected TokenResponse exchange(AuthorizationCode code, CodeVerifier verifier) throws Exception {
        URI token = op.getTokenEndpointURI();
        return OIDCTokenResponseParser.parse(new TokenRequest(token, cityAuth(token),
                new AuthorizationCodeGrant(code, URI.create(PortalFixture.CALLBACK), verifier)).toHTTPRequest().send());
    }

    /**
     * Where the browser goes to authenticate upstream, from the answer to the portal's authorization
     * request: straight there when there is nothing to choose (hint or single key), else through the
     * key chooser, which then starts the login by itself.
     */
    protected URI upstreamFrom(HttpResponse<?> authorizeResponse) throws IOException, InterruptedException {
        String next = location(authorizeResponse);
        if (isChooser(next)) {
            next = location(get(URI.create(next)));
        }
        return URI.create(next);
    }

    /** The successful OIDC token response, or a failure that says what the server answered. */
    protected static OIDCTokenResponse tokens(TokenResponse response) {
        if (!response.indicatesSuccess()) {
            throw new AssertionError("token request refused: " + response.toErrorResponse().getErrorObject().toJSONObject());
        }
        return (OIDCTokenResponse) response.toSuccessResponse();
    }

    protected record Grant(AuthorizationCode code, CodeVerifier verifier) {
    }
}

package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;

/**
 * One citizen's sign-in with an eID card, shared by the eID end-to-end tests: a new browser holding the card (or
 * none) over real TLS 1.2 to the eID listener, sent there by {@code idp_hint}, and the portal finishing with a
 * verified ID token.
 */
final class EidLogin {

    private static final char[] PASSWORD = "test-only".toCharArray();

    final CodeVerifier verifier = new CodeVerifier();
    final Nonce nonce = new Nonce();
    private final PortalClient portal;
    private final String clientId;
    URI eidUrl;
    String eidState;

    private EidLogin(PortalClient portal, String clientId) {
        this.portal = portal;
        this.clientId = clientId;
    }

    /**
     * A new browser trusting {@code listenerRoot} and holding {@code key} with {@code chain} (no card when null),
     * parked at the eID listener's URL of connector {@code connectorId} after {@code clientId}'s request.
     */
    static EidLogin start(PortalClient portal, String clientId, String connectorId, X509Certificate listenerRoot,
                          PrivateKey key, Certificate... chain) throws Exception {
        return start(portal, clientId, connectorId, null, listenerRoot, key, chain);
    }

    /** The same, the portal asking for the citizen's pages in {@code uiLocales} (OIDC Core 3.1.2.1) when not null. */
    static EidLogin start(PortalClient portal, String clientId, String connectorId, String uiLocales,
                          X509Certificate listenerRoot, PrivateKey key, Certificate... chain) throws Exception {
        return start(portal, clientId, new Scope("openid", "profile", "national_number"), connectorId, uiLocales,
                listenerRoot, key, chain);
    }

    /** The same, the portal asking for {@code scope}. */
    static EidLogin start(PortalClient portal, String clientId, Scope scope, String connectorId, String uiLocales,
                          X509Certificate listenerRoot, PrivateKey key, Certificate... chain) throws Exception {
        holdCard(portal, listenerRoot, key, chain);
        EidLogin login = new EidLogin(portal, clientId);
        URI authorize = new AuthenticationRequest.Builder(ResponseType.CODE, scope, new ClientID(clientId), URI.create(PortalFixture.CALLBACK)).state(new State())
                .nonce(login.nonce).codeChallenge(login.verifier, CodeChallengeMethod.S256)
                .endpointURI(portal.op.getAuthorizationEndpointURI()).build().toURI();
        login.eidUrl = portal.upstreamFrom(portal.get(URI.create(authorize + "&idp_hint=" + connectorId
                + (uiLocales == null ? "" : "&ui_locales=" + uiLocales))));
        assertThat(login.eidUrl.getPath()).isEqualTo("/broker/eid/" + connectorId);
        login.eidState = login.eidUrl.getRawQuery().substring("state=".length());
        return login;
    }

    /** Gives the portal's test browser a new cookie jar and the card (none when {@code key} is null). */
    static void holdCard(PortalClient portal, X509Certificate listenerRoot, PrivateKey key, Certificate... chain)
            throws Exception {
        portal.browser = HttpClient.newBuilder().cookieHandler(new LocalhostIsSecure())
                .followRedirects(HttpClient.Redirect.NEVER).sslContext(tls(listenerRoot, key, chain)).build();
    }

    HttpResponse<String> presentCard() throws Exception {
        return portal.get(eidUrl);
    }

    IDTokenClaimsSet finish(HttpResponse<String> eid) throws Exception {
        assertThat(eid.statusCode()).as(eid.body()).isEqualTo(302);
        URI back = URI.create(PortalClient.location(portal.get(URI.create(PortalClient.location(eid)))));
        AuthorizationResponse response = AuthorizationResponse.parse(back);
        var tokens = PortalClient.tokens(portal.exchange(response.toSuccessResponse().getAuthorizationCode(), verifier));
        return portal.idTokenValidator(clientId, JWSAlgorithm.RS256).validate(tokens.getOIDCTokens().getIDToken(), nonce);
    }

    /** The browser's TLS: trusts the listener's root, and holds the card if any. */
    private static SSLContext tls(X509Certificate root, PrivateKey key, Certificate... chain) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (key != null) {
            keys.setKeyEntry("card", key, PASSWORD, chain);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /**
     * A cookie jar that, like Chrome and Firefox, treats http://localhost as a secure context: the session
     * cookie renewed on the https eID listener (marked Secure by Tomcat) is sent back to the http test issuer.
     */
    private static final class LocalhostIsSecure extends CookieHandler {
        private final CookieManager jar = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws IOException {
            return jar.get(secure(uri), headers);
        }

        @Override
        public void put(URI uri, Map<String, List<String>> headers) throws IOException {
            jar.put(secure(uri), headers);
        }

        private static URI secure(URI uri) {
            return "http".equals(uri.getScheme()) && "localhost".equals(uri.getHost())
                    ? URI.create("https" + uri.toString().substring(4)) : uri;
        }
    }
}

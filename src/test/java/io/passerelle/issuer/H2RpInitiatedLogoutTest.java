package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.UUID;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OIDC RP-Initiated Logout 1.0 as a portal and a citizen meet it: a logout request always ends with the
 * citizen signed out, or asked (3), never with an error page that leaves them signed in. The hint is
 * verified as a JWT that Passerelle signed (2, 4), so it still works after a refresh or a withdrawn
 * consent; only a hint of this very browser session signs out without a question; an address that is
 * not registered, or a hint that does not verify, is never followed.
 */
class H2RpInitiatedLogoutTest extends AbstractIssuerIntegrationTest {

    private static final URI LOGGED_OUT = URI.create(PortalFixture.LOGGED_OUT);

    @BeforeEach
    void clearRequests() {
        FIXTURE.portalWebServer.resetRequests();
    }

    @Test
    void aHintFromBeforeARefreshStillSignsOutAtOnceAndTellsThePortal() throws Exception {
        signIn("citizen-" + UUID.randomUUID(), LOA_SUBSTANTIAL, "");
        OIDCTokenResponse first = cityTokens();
        URI token = op.getTokenEndpointURI();
        OIDCTokenResponse refreshed = tokens(OIDCTokenResponseParser.parse(new TokenRequest(token, cityAuth(token),
                new RefreshTokenGrant(first.getOIDCTokens().getRefreshToken())).toHTTPRequest().send()));
        assertThat(refreshed.getOIDCTokens().getIDToken().serialize()).isNotEqualTo(first.getOIDCTokens().getIDToken().serialize());

        HttpResponse<String> logout = get(logout(first.getOIDCTokens().getIDToken(), LOGGED_OUT, "bye"));
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(location(logout)).isEqualTo(PortalFixture.LOGGED_OUT + "?state=bye");
        assertSignedOut();
        assertThat(FIXTURE.awaitPosts(PortalFixture.CITY_LOGOUT)).hasSize(1);
    }

    @Test
    void aHintWhoseGrantWasWithdrawnStillSignsOutAndThePortalIsStillTold() throws Exception {
        signIn("citizen-" + UUID.randomUUID(), LOA_SUBSTANTIAL, "");
        OIDCTokenResponse city = cityTokens();
        HttpResponse<String> account = get(URI.create(FIXTURE.issuer + "/account?lang=en"));
        postForm(URI.create(FIXTURE.issuer + "/account/withdraw"),
                "client=" + PortalFixture.CITY + "&_csrf=" + formValue(account.body(), "_csrf"));
        assertThat(introspect(city.getOIDCTokens().getAccessToken().getValue()).isActive()).as("withdrawn").isFalse();

        HttpResponse<String> logout = get(logout(city.getOIDCTokens().getIDToken(), LOGGED_OUT, "bye"));
        assertThat(location(logout)).isEqualTo(PortalFixture.LOGGED_OUT + "?state=bye");
        assertSignedOut();
        assertThat(FIXTURE.awaitPosts(PortalFixture.CITY_LOGOUT)).as("withdrawn or not, the portal's session ends").hasSize(1);
    }

    @Test
    void withoutAHintTheCitizenIsAskedThenSignedOutAndSentToTheRegisteredAddress() throws Exception {
        signIn("citizen-" + UUID.randomUUID(), LOA_SUBSTANTIAL, "");
        cityTokens();
        HttpResponse<String> logout = get(URI.create(op.getEndSessionEndpointURI() + "?client_id=" + PortalFixture.CITY
                + "&post_logout_redirect_uri=" + PortalFixture.LOGGED_OUT + "&state=s2&ui_locales=fr"));
        assertThat(location(logout)).isEqualTo(FIXTURE.issuer + "/signout?ui_locales=fr");
        HttpResponse<String> question = get(URI.create(location(logout)));
        assertThat(question.statusCode()).isEqualTo(200);
        assertThat(question.body()).contains("Se déconnecter ?").contains("Ville d&#39;Exemple demande à vous déconnecter.");
        assertStillSignedIn();

        HttpResponse<String> answered = postForm(URI.create(FIXTURE.issuer + "/signout"),
                "decision=yes&_csrf=" + formValue(question.body(), "_csrf"));
        assertThat(location(answered)).isEqualTo(PortalFixture.LOGGED_OUT + "?state=s2");
        assertSignedOut();
        assertThat(FIXTURE.awaitPosts(PortalFixture.CITY_LOGOUT)).hasSize(1);
    }

    @Test
    void noParametersAtAllAsksAndEndsOnTheSignedOutPage() throws Exception {
        signIn("citizen-" + UUID.randomUUID(), LOA_SUBSTANTIAL, "");
        HttpResponse<String> question = get(URI.create(location(get(op.getEndSessionEndpointURI()))));
        assertThat(question.body()).contains("Sign out?").doesNotContain("asks to sign you out");
        HttpResponse<String> answered = postForm(URI.create(FIXTURE.issuer + "/signout"),
                "decision=yes&ui_locales=nl&_csrf=" + formValue(question.body(), "_csrf"));
        assertThat(location(answered)).isEqualTo(FIXTURE.issuer + "/signout/done?ui_locales=nl");
        HttpResponse<String> done = get(URI.create(location(answered)));
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("U bent afgemeld");
        assertSignedOut();
    }

    @Test
    void aCitizenWhoSaysNoStaysSignedIn() throws Exception {
        signIn("citizen-" + UUID.randomUUID(), LOA_SUBSTANTIAL, "");
        HttpResponse<String> question = get(URI.create(location(get(op.getEndSessionEndpointURI()))));
        HttpResponse<String> answered = postForm(URI.create(FIXTURE.issuer + "/signout"),
                "decision=no&_csrf=" + formValue(question.body(), "_csrf"));
        assertThat(location(answered)).isEqualTo(FIXTURE.issuer + "/account");
        assertStillSignedIn();
    }

    @Test
    void theQuestionCannotBeAnsweredByAnotherSiteWithoutTheFormsToken() throws Exception {
        signIn("citizen-" + UUID.randomUUID(), LOA_SUBSTANTIAL, "");
        HttpResponse<String> forged = postForm(URI.create(FIXTURE.issuer + "/signout"), "decision=yes");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertStillSignedIn();
    }

    @Test
    void aModifiedHintIsNeverTrustedAndItsAddressNeverFollowed() throws Exception {
        signIn("citizen-" + UUID.randomUUID(), LOA_SUBSTANTIAL, "");
        SignedJWT idToken = (SignedJWT) cityTokens().getOIDCTokens().getIDToken();
        String[] parts = idToken.serialize().split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 4) + "AAAA." + parts[2];
        HttpResponse<String> logout = get(URI.create(op.getEndSessionEndpointURI() + "?id_token_hint=" + tampered
                + "&post_logout_redirect_uri=" + PortalFixture.LOGGED_OUT + "&state=s3"));
        assertThat(location(logout)).isEqualTo(FIXTURE.issuer + "/signout");
        HttpResponse<String> question = get(URI.create(location(logout)));
        HttpResponse<String> answered = postForm(URI.create(FIXTURE.issuer + "/signout"),
                "decision=yes&_csrf=" + formValue(question.body(), "_csrf"));
        assertThat(location(answered)).startsWith(FIXTURE.issuer + "/signout/done");
        assertSignedOut();
    }

    @Test
    void anUnregisteredAddressIsNotFollowedButTheCitizenIsSignedOut() throws Exception {
        signIn("citizen-" + UUID.randomUUID(), LOA_SUBSTANTIAL, "");
        JWT idToken = cityTokens().getOIDCTokens().getIDToken();
        HttpResponse<String> logout = get(logout(idToken, URI.create(PortalFixture.LOGGED_OUT + "?x=1"), "s4"));
        assertThat(location(logout)).isEqualTo(FIXTURE.issuer + "/signout/done");
        assertSignedOut();
    }

    @Test
    void nobodySignedInSeesTheSignedOutPageNotTheKeyChooser() throws Exception {
        HttpResponse<String> logout = get(op.getEndSessionEndpointURI());
        assertThat(location(logout)).isEqualTo(FIXTURE.issuer + "/signout/done");
        HttpResponse<String> done = get(URI.create(location(logout)));
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("You are signed out");
    }

    @Test
    void eachBrowserHasItsOwnSidAndAHintOfAnotherBrowserAsksFirst() throws Exception {
        String citizen = "citizen-" + UUID.randomUUID();
        signIn(citizen, LOA_SUBSTANTIAL, "");
        var browserC = browser;
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationCode codeC = AuthorizationResponse.parse(URI.create(location(
                get(authorize(PortalFixture.CITY, PortalFixture.CALLBACK, verifier))))).toSuccessResponse()
                .getAuthorizationCode();
        newBrowser();
        var browserD = browser;
        signIn(citizen, LOA_SUBSTANTIAL, "");
        OIDCTokenResponse tokensD = cityTokens();
        // C's code, redeemed after D signed in, still names C's session.
        OIDCTokenResponse tokensC = tokens(exchange(codeC, verifier));
        String sidC = tokensC.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid");
        String sidD = tokensD.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid");
        assertThat(sidC).isNotBlank().isNotEqualTo(sidD);

        // D's hint in C: not this session, so C is asked; C's own hint signs C out at once, and D stays.
        browser = browserC;
        assertThat(location(get(logout(tokensD.getOIDCTokens().getIDToken(), LOGGED_OUT, "x"))))
                .isEqualTo(FIXTURE.issuer + "/signout");
        assertThat(location(get(logout(tokensC.getOIDCTokens().getIDToken(), LOGGED_OUT, "y"))))
                .isEqualTo(PortalFixture.LOGGED_OUT + "?state=y");
        assertSignedOut();
        browser = browserD;
        assertStillSignedIn();
        assertThat(introspect(tokensD.getOIDCTokens().getAccessToken().getValue()).isActive()).isTrue();
    }

    private URI logout(JWT idToken, URI redirect, String state) {
        return new LogoutRequest(op.getEndSessionEndpointURI(), idToken, redirect, new State(state)).toURI();
    }

    /** The next prompt=none request in this browser finds nobody signed in. */
    private void assertSignedOut() throws Exception {
        assertThat(location(get(URI.create(authorize(PortalFixture.CITY, PortalFixture.CALLBACK, new CodeVerifier())
                + "&prompt=none")))).contains("error=login_required");
    }

    private void assertStillSignedIn() throws Exception {
        assertThat(location(get(URI.create(authorize(PortalFixture.CITY, PortalFixture.CALLBACK, new CodeVerifier())
                + "&prompt=none")))).contains("code=");
    }

    private OIDCTokenResponse cityTokens() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationCode code = AuthorizationResponse.parse(URI.create(location(
                get(authorize(PortalFixture.CITY, PortalFixture.CALLBACK, verifier))))).toSuccessResponse()
                .getAuthorizationCode();
        return tokens(exchange(code, verifier));
    }
}

package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.claims.ACR;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;

import io.passerelle.audit.AuditLog;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Sign-in through the broker: key chooser, LoA filtering and step-up, single sign-on across portals,
 * prompt and max_age, idp_hint, and every way a login can fail, from the portal's authorization
 * request to a verified ID token. The upstream is the test-only connector type (see testonly).
 */
abstract class BrokerFlowContract extends AbstractIssuerIntegrationTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    AuditLog audit;

    @Test
    void chooserListsTheKeysThatMeetTheDemandAndTheChosenKeySignsIn() throws Exception {
        Login login = new Login(PortalFixture.CITY, null);
        assertThat(location(get(login.uri()))).startsWith(FIXTURE.issuer + "/signin?login=");
        HttpResponse<String> chooser = chooserPage("lang=fr");
        assertThat(chooser.statusCode()).isEqualTo(200);
        assertThat(chooser.body()).contains("Carte test").contains("App test");
        HttpResponse<String> started = post(chooserAction("test-high"), csrf(chooser.body()));
        IDTokenClaimsSet claims = login.complete(get(URI.create(location(started))));
        assertThat(claims.getACR().getValue()).isEqualTo(LOA_HIGH);
        assertThat(claims.getAMR()).extracting(Object::toString).containsExactly("test");
        assertThat(claims.getSubject().getValue()).as("pairwise subject").matches("[A-Za-z0-9_-]{43}");

        // The same key again, in a new browser: the same citizen.
        newBrowser();
        Login again = new Login(PortalFixture.CITY, "acr_values=" + LOA_HIGH);
        assertThat(again.complete(followSignIn(get(again.uri()))).getSubject()).isEqualTo(claims.getSubject());
    }

    @Test
    void singleSignOnServesASecondPortalWithoutANewLogin() throws Exception {
        Login first = new Login(PortalFixture.CITY, "idp_hint=test-high");
        IDTokenClaimsSet atCity = first.complete(followSignIn(get(first.uri())));
        Login second = new Login(PortalFixture.REGION, null);
        IDTokenClaimsSet atRegion = second.complete(get(second.uri()));
        assertThat(atRegion.getAuthenticationTime()).isEqualTo(atCity.getAuthenticationTime());
        assertThat(atRegion.getSubject()).as("another sector, another pairwise subject").isNotEqualTo(atCity.getSubject());
        assertThat(atRegion.getACR().getValue()).isEqualTo(LOA_HIGH);
    }

    @Test
    void higherDemandStepsUpThroughAStrongerKey() throws Exception {
        Login first = new Login(PortalFixture.CITY, "idp_hint=test-substantial");
        IDTokenClaimsSet substantial = first.complete(followSignIn(get(first.uri())));
        assertThat(substantial.getACR().getValue()).isEqualTo(LOA_SUBSTANTIAL);
        Login high = new Login(PortalFixture.CITY, "acr_values=" + enc(LOA_HIGH));
        IDTokenClaimsSet stepped = high.complete(followSignIn(get(high.uri())));
        assertThat(stepped.getACR().getValue()).isEqualTo(LOA_HIGH);
        // The same browser: the same sid (OIDC Back-Channel Logout 2.1), although the session id changed.
        assertThat(stepped.getStringClaim("sid")).isNotBlank().isEqualTo(substantial.getStringClaim("sid"));
    }

    @Test
    void essentialAcrClaimIsHonoured() throws Exception {
        String claims = enc("{\"id_token\":{\"acr\":{\"essential\":true,\"values\":[\"" + LOA_HIGH + "\"]}}}");
        Login login = new Login(PortalFixture.CITY, "claims=" + claims);
        assertThat(login.complete(followSignIn(get(login.uri()))).getACR().getValue()).isEqualTo(LOA_HIGH);
        Login impossible = new Login(PortalFixture.CITY, "claims="
                + enc("{\"id_token\":{\"acr\":{\"essential\":true,\"value\":\"urn:other:loa:4\"}}}"));
        assertThat(impossible.error(get(impossible.uri()))).isEqualTo("unmet_authentication_requirements");
    }

    @Test
    void promptNoneAnswersWithoutAPage() throws Exception {
        Login none = new Login(PortalFixture.CITY, "prompt=none");
        assertThat(none.error(get(none.uri()))).isEqualTo("login_required");
        Login first = new Login(PortalFixture.CITY, "idp_hint=test-substantial");
        first.complete(followSignIn(get(first.uri())));
        Login silent = new Login(PortalFixture.CITY, "prompt=none");
        assertThat(silent.complete(get(silent.uri())).getACR().getValue()).isEqualTo(LOA_SUBSTANTIAL);
        Login tooWeak = new Login(PortalFixture.CITY, "prompt=none&acr_values=" + enc(LOA_HIGH));
        assertThat(tooWeak.error(get(tooWeak.uri()))).isEqualTo("login_required");
    }

    @Test
    void maxAgeAndPromptLoginForceANewUpstreamLoginOnce() throws Exception {
        Login first = new Login(PortalFixture.CITY, "idp_hint=test-high");
        IDTokenClaimsSet original = first.complete(followSignIn(get(first.uri())));
        Thread.sleep(1100);
        for (String demand : new String[] {"max_age=0", "prompt=login"}) {
            Login again = new Login(PortalFixture.CITY, demand + "&idp_hint=test-high");
            IDTokenClaimsSet fresh = again.complete(followSignIn(get(again.uri())));
            assertThat(fresh.getAuthenticationTime()).as(demand).isAfter(original.getAuthenticationTime());
        }
        Login relaxed = new Login(PortalFixture.CITY, "max_age=3600");
        assertThat(relaxed.complete(get(relaxed.uri()))).isNotNull();
    }

    @Test
    void hintThatCannotMeetTheDemandIsIgnoredWithANotice() throws Exception {
        Login login = new Login(PortalFixture.CITY, "idp_hint=test-substantial&acr_values=" + enc(LOA_HIGH));
        get(login.uri());
        HttpResponse<String> chooser = chooserPage(null);
        assertThat(chooser.statusCode()).isEqualTo(200);
        assertThat(chooser.body()).contains("cannot give the level of assurance").contains("Test card")
                .doesNotContain("Test app");
    }

    @Test
    void cancelledUpstreamShowsAPageAndTheCitizenMayGoBackToThePortal() throws Exception {
        Login login = new Login(PortalFixture.CITY, "idp_hint=test-high&ui_locales=nl");
        URI callback = upstreamFrom(get(login.uri()));
        String state = callback.getQuery().replaceAll(".*state=([^&]+).*", "$1");
        HttpResponse<String> page = get(URI.create(FIXTURE.issuer + "/broker/callback/test-high?error=access_denied&state="
                + state));
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("U hebt de aanmelding met uw sleutel geannuleerd");
        String reference = page.body().replaceAll("(?s).*<code>(PSL-[A-Z0-9]+)</code>.*", "$1");
        assertThat(audit.byReference(reference)).singleElement()
                .satisfies(e -> assertThat(e.reason()).startsWith("cancelled"));
        // The page's way back names the login (and works only in this browser).
        String back = page.body().replaceAll("(?s).*href=\"(/broker/abandon\\?login=[^\"]+)\".*", "$1");
        assertThat(back).startsWith("/broker/abandon?login=");
        assertThat(login.error(get(URI.create(FIXTURE.issuer + back)))).isEqualTo("access_denied");
    }

    @Test
    void callbackIsUsedOnceAndOnlyByTheBrowserThatStartedTheLogin() throws Exception {
        Login login = new Login(PortalFixture.CITY, "idp_hint=test-high");
        URI callback = upstreamFrom(get(login.uri()));
        var original = browser;
        newBrowser();
        HttpResponse<String> elsewhere = get(callback);
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(elsewhere.body()).contains("started in another browser");
        browser = original;
        HttpResponse<String> replay = get(callback);
        assertThat(replay.statusCode()).as("the other browser's attempt consumed it").isEqualTo(400);
        assertThat(replay.body()).contains("already used");
    }

    @Test
    void forgedCallbackStateIsRefused() throws Exception {
        HttpResponse<String> page = get(URI.create(FIXTURE.issuer + "/broker/callback/test-high?code=x:high&state=forged"));
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("PSL-");
    }

    /**
     * From the answer to an authorization request that needs a sign-in (no chooser: a hint or a single
     * key) through the upstream provider, to the broker's callback answer.
     */
    private HttpResponse<String> followSignIn(HttpResponse<String> authorize) throws Exception {
        assertThat(location(authorize)).as("a sign-in is needed, not an answer to the portal")
                .doesNotStartWith(PortalFixture.CALLBACK).doesNotStartWith("https://region.example");
        return get(upstreamFrom(authorize));
    }

    private HttpResponse<String> post(URI action, String csrf) throws Exception {
        return browser.send(HttpRequest.newBuilder(action)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + enc(csrf))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a CSRF token in the form").isTrue();
        return m.group(1);
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** One portal authorization request and its completion to a verified ID token. */
    private final class Login {
        final String clientId;
        final String extra;
        final CodeVerifier verifier = new CodeVerifier();
        final Nonce nonce = new Nonce();
        final State state = new State();

        Login(String clientId, String extra) {
            this.clientId = clientId;
            this.extra = extra;
        }

        String redirect() {
            return PortalFixture.REGION.equals(clientId) ? "https://region.example/cb" : PortalFixture.CALLBACK;
        }

        URI uri() {
            URI base = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"), new ClientID(clientId),
                    URI.create(redirect())).state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
                    .endpointURI(op.getAuthorizationEndpointURI()).build().toURI();
            return extra == null ? base : URI.create(base + "&" + extra);
        }

        /** From the resumed authorization request (or the portal redirect itself) to verified ID token claims. */
        IDTokenClaimsSet complete(HttpResponse<String> response) throws Exception {
            String next = location(response);
            if (next.startsWith(FIXTURE.issuer)) {
                next = location(get(URI.create(next)));
            }
            assertThat(next).startsWith(redirect());
            AuthorizationResponse parsed = AuthorizationResponse.parse(URI.create(next));
            assertThat(parsed.getState()).isEqualTo(state);
            var code = parsed.toSuccessResponse().getAuthorizationCode();
            if (PortalFixture.REGION.equals(clientId)) {
                var tokens = tokens(com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser.parse(
                        new com.nimbusds.oauth2.sdk.TokenRequest(op.getTokenEndpointURI(),
                                new com.nimbusds.oauth2.sdk.auth.ClientSecretBasic(new ClientID(clientId),
                                        new com.nimbusds.oauth2.sdk.auth.Secret(PortalFixture.REGION_SECRET)),
                                new com.nimbusds.oauth2.sdk.AuthorizationCodeGrant(code, URI.create(redirect()), verifier))
                                .toHTTPRequest().send()));
                return idTokenValidator(clientId, JWSAlgorithm.ES256).validate(tokens.getOIDCTokens().getIDToken(), nonce);
            }
            var tokens = tokens(exchange(code, verifier));
            return idTokenValidator(clientId, JWSAlgorithm.RS256).validate(tokens.getOIDCTokens().getIDToken(), nonce);
        }

        String error(HttpResponse<String> response) throws Exception {
            AuthorizationResponse parsed = AuthorizationResponse.parse(URI.create(location(response)));
            assertThat(parsed.getIssuer().getValue()).isEqualTo(FIXTURE.issuer);
            return parsed.toErrorResponse().getErrorObject().getCode();
        }
    }
}

package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.UUID;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Claims by purpose and the consent ledger, from the portal's request to what its tokens, userinfo
 * and introspection carry: the consent page, partial refusal, remembering and re-asking, withdrawal
 * from the account page, consent-exempt portals, aliases, scope policy, and one citizen across keys.
 * Each test signs in a citizen of its own (test connector login hint), so no test sees another's consent.
 */
abstract class ConsentFlowContract extends AbstractCitizenLoginTest {

    private static final String ALL = "openid profile email national_number";

    @Autowired
    AuditLog audit;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void consentPageShowsPortalPurposeLegalBasisAndValuesInEachLanguage() throws Exception {
        Login login = new Login(PortalFixture.CITY, ALL, "idp_hint=test-high");
        assertThat(location(login.signIn())).contains("/consent?login=");
        String fr = consentPage("lang=fr").body();
        assertThat(fr).contains("Ville d&#39;Exemple").contains("Votre compte").contains("Test decree of 1 January 2026")
                .contains("Anna").contains("Peeters").contains("anna@example.org").contains(nationalNumber)
                .contains("Numéro de registre national").contains("Partager et continuer");
        assertThat(consentPage("lang=nl").body()).contains("Stad Voorbeeld")
                .contains("Rijksregisternummer").contains("Delen en verdergaan");
        assertThat(consentPage("lang=de").body()).contains("Stadt Beispiel")
                .contains("Nationalregisternummer").contains("Teilen und weiter");
        assertThat(consentPage("lang=en").body()).contains("City of Example")
                .contains("National register number").contains("Share and continue");
    }

    @Test
    void aRefusedClaimIsAbsentFromIdTokenUserinfoRefreshAndIntrospectionEvenWhenAskedByClaims() throws Exception {
        String claims = "claims=" + enc("{\"id_token\":{\"national_number\":{\"essential\":true}},"
                + "\"userinfo\":{\"national_number\":null}}");
        Login login = new Login(PortalFixture.CITY, ALL, "idp_hint=test-high&" + claims);
        login.signIn();
        HttpResponse<String> answered = answerConsent("allow", claim -> !claim.equals("national_number"));
        OIDCTokenResponse tokens = login.tokens(get(URI.create(FIXTURE.issuer).resolve(location(answered))));
        IDTokenClaimsSet id = login.verify(tokens);
        assertThat(id.getStringClaim("given_name")).isEqualTo("Anna");
        assertThat(id.getStringClaim("email")).isEqualTo("anna@example.org");
        assertThat(id.toJSONObject()).doesNotContainKey("national_number");

        UserInfoResponse userInfo = UserInfoResponse.parse(new UserInfoRequest(op.getUserInfoEndpointURI(),
                (BearerAccessToken) tokens.getOIDCTokens().getAccessToken()).toHTTPRequest().send());
        assertThat(userInfo.toSuccessResponse().getUserInfo().toJSONObject()).containsKey("given_name")
                .doesNotContainKey("national_number").containsEntry("sub", id.getSubject().getValue());
        assertThat(introspect(tokens.getOIDCTokens().getAccessToken().getValue()).toJSONObject())
                .doesNotContainKey("national_number").doesNotContainValue(nationalNumber);

        URI token = op.getTokenEndpointURI();
        OIDCTokenResponse refreshed = tokens(OIDCTokenResponseParser.parse(new TokenRequest(token, cityAuth(token),
                new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken())).toHTTPRequest().send()));
        assertThat(SignedJWT.parse(refreshed.getOIDCTokens().getIDTokenString()).getJWTClaimsSet().getClaims())
                .containsKey("given_name").doesNotContainKey("national_number");
        assertThat(audit.since(java.time.Instant.now().minusSeconds(60), 1000)).anySatisfy(event -> {
            assertThat(event.type()).isEqualTo(AuditType.CONSENT_CHANGED);
            assertThat(event.details()).containsEntry("refused", "national_number");
        });
        assertThat(audit.since(java.time.Instant.now().minusSeconds(60), 1000)).extracting(AuditEvent::toString)
                .noneMatch(text -> text.contains(nationalNumber));
        assertThat(jdbc.sql("SELECT attributes FROM oauth2_authorization").query(String.class).list())
                .as("stored authorizations hold the attributes sealed").isNotEmpty()
                .allMatch(row -> row.contains("\"claims\":\"v1.")).noneMatch(row -> row.contains("national_number\":\"" + nationalNumber));
    }

    @Test
    void consentIsRememberedAndAskedAgainForMoreForPromptConsentAndNeverWithPromptNone() throws Exception {
        Login first = new Login(PortalFixture.CITY, "openid profile", "idp_hint=test-high");
        first.signIn();
        first.verify(first.tokens(followConsent(answerConsent("allow", claim -> true))));

        Login again = new Login(PortalFixture.CITY, "openid profile", null);
        assertThat(location(get(again.uri()))).as("remembered: straight back to the portal").startsWith(PortalFixture.CALLBACK);

        Login more = new Login(PortalFixture.CITY, "openid profile email", "prompt=none");
        assertThat(more.error(get(more.uri()))).isEqualTo("consent_required");
        Login moreAsked = new Login(PortalFixture.CITY, "openid profile email", null);
        assertThat(location(get(moreAsked.uri()))).contains("/consent?login=");
        assertThat(consentPage().body()).contains("anna@example.org");
        moreAsked.verify(moreAsked.tokens(followConsent(answerConsent("allow", claim -> true))));

        Login prompted = new Login(PortalFixture.CITY, "openid profile", "prompt=consent");
        assertThat(location(get(prompted.uri()))).contains("/consent?login=");
        IDTokenClaimsSet claims = prompted.verify(prompted.tokens(followConsent(answerConsent("allow", claim -> true))));
        assertThat(claims.getStringClaim("given_name")).isEqualTo("Anna");
    }

    @Test
    void refusingTheWholeRequestSendsAccessDeniedToThePortal() throws Exception {
        Login login = new Login(PortalFixture.CITY, ALL, "idp_hint=test-high");
        login.signIn();
        assertThat(login.error(answerConsent("deny", claim -> true))).isEqualTo("access_denied");
    }

    @Test
    void aReplayedOrForgedConsentPostChangesNothing() throws Exception {
        Login login = new Login(PortalFixture.CITY, ALL, "idp_hint=test-high");
        login.signIn();
        String page = consentPage().body();
        String request = formValue(page, "request");
        String csrf = formValue(page, "_csrf");
        HttpResponse<String> withoutCsrf = postForm(URI.create(FIXTURE.issuer + "/consent"),
                "decision=allow&request=" + request + "&claim=national_number");
        assertThat(withoutCsrf.statusCode()).isEqualTo(403);
        HttpResponse<String> first = postForm(URI.create(FIXTURE.issuer + "/consent"),
                "decision=allow&request=" + request + "&_csrf=" + csrf + "&claim=given_name");
        HttpResponse<String> replay = postForm(URI.create(FIXTURE.issuer + "/consent"),
                "decision=allow&request=" + request + "&_csrf=" + csrf + "&claim=national_number");
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("already answered");
        IDTokenClaimsSet claims = login.verify(login.tokens(followConsent(first)));
        assertThat(claims.toJSONObject()).containsKey("given_name").doesNotContainKeys("national_number", "email");
    }

    @Test
    void aQuestionForAnotherCitizenCannotBeAnswered() throws Exception {
        Login login = new Login(PortalFixture.CITY, ALL, "idp_hint=test-high");
        login.signIn();
        String page = consentPage().body();
        signIn("someone-else-" + UUID.randomUUID(), LOA_HIGH, "");
        HttpResponse<String> answer = postForm(URI.create(FIXTURE.issuer + "/consent"), "decision=allow&request="
                + formValue(page, "request") + "&_csrf=" + formValue(page, "_csrf") + "&claim=given_name");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("another person");
    }

    @Test
    void withdrawingOnTheAccountPageEndsThePortalsTokensAtOnce() throws Exception {
        Login login = new Login(PortalFixture.CITY, ALL, "idp_hint=test-high");
        login.signIn();
        OIDCTokenResponse tokens = login.tokens(followConsent(answerConsent("allow", claim -> true)));
        assertThat(login.verify(tokens).getStringClaim("national_number"))
                .as("granted, and the portal has a legal basis").isEqualTo(nationalNumber);
        assertThat(jdbc.sql("SELECT oidc_id_token_value || ' ' || oidc_id_token_metadata FROM oauth2_authorization "
                + "WHERE oidc_id_token_value IS NOT NULL").query(String.class).list())
                .as("the ID token is kept only as a hash with its protocol claims").isNotEmpty()
                .allMatch(row -> row.startsWith("sha256:")).noneMatch(row -> row.contains(nationalNumber) || row.contains("Peeters"));
        String access = tokens.getOIDCTokens().getAccessToken().getValue();
        assertThat(introspect(access).isActive()).isTrue();

        HttpResponse<String> account = get(URI.create(FIXTURE.issuer + "/account?lang=en"));
        assertThat(account.body()).contains("City of Example").contains("National register number")
                .contains("Withdraw consent").contains("high");
        HttpResponse<String> withdrawn = postForm(URI.create(FIXTURE.issuer + "/account/withdraw"),
                "client=" + PortalFixture.CITY + "&_csrf=" + formValue(account.body(), "_csrf"));
        assertThat(location(withdrawn)).contains("/account?withdrawn=");

        assertThat(introspect(access).isActive()).as("introspection: inactive at once").isFalse();
        URI token = op.getTokenEndpointURI();
        assertThat(OIDCTokenResponseParser.parse(new TokenRequest(token, cityAuth(token),
                new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken())).toHTTPRequest().send())
                .indicatesSuccess()).as("refresh refused").isFalse();
        assertThat(UserInfoResponse.parse(new UserInfoRequest(op.getUserInfoEndpointURI(),
                (BearerAccessToken) tokens.getOIDCTokens().getAccessToken()).toHTTPRequest().send()).indicatesSuccess())
                .isFalse();
        Login next = new Login(PortalFixture.CITY, ALL, null);
        assertThat(location(get(next.uri()))).as("asked again next time").contains("/consent?login=");
    }

    @Test
    void aConsentExemptPortalGetsItsAliasesTrimmedScopesAndIsShownOnTheAccountPage() throws Exception {
        Login login = new Login(PortalFixture.TAX, "openid profile national_number email", "idp_hint=test-high");
        IDTokenClaimsSet claims = login.verify(login.tokens(login.signIn()));
        assertThat(claims.getStringClaim("egovNRN")).isEqualTo(nationalNumber);
        assertThat(claims.getStringClaim("givenName")).isEqualTo("Anna");
        assertThat(claims.toJSONObject()).as("aliased names only; email trimmed (not in the portal's scopes)")
                .doesNotContainKeys("national_number", "given_name", "email");
        // Userinfo answers under the same aliases, and never repeats a protocol claim such as nonce.
        assertThat(UserInfoResponse.parse(new UserInfoRequest(op.getUserInfoEndpointURI(),
                (BearerAccessToken) login.lastTokens.getOIDCTokens().getAccessToken()).toHTTPRequest().send())
                .toSuccessResponse().getUserInfo().toJSONObject())
                .containsEntry("egovNRN", nationalNumber).containsEntry("givenName", "Anna")
                .containsEntry("sub", claims.getSubject().getValue())
                .doesNotContainKeys("national_number", "given_name", "nonce", "sid", "acr");
        assertThat(get(URI.create(FIXTURE.issuer + "/account?lang=en")).body()).contains("Websites that need no consent")
                .contains("Taxes");
        assertThat(audit.since(java.time.Instant.now().minusSeconds(60), 1000)).anySatisfy(event -> {
            assertThat(event.type()).isEqualTo(AuditType.SCOPE_LIMITED);
            assertThat(event.details()).containsEntry("policy", "trim").containsEntry("scopes", "email");
        });
    }

    @Test
    void scopesBeyondThePortalsOwnAreRefusedWithInvalidScope() throws Exception {
        Login login = new Login(PortalFixture.CITY, "openid profile phone", "idp_hint=test-high");
        assertThat(login.error(get(login.uri()))).isEqualTo("invalid_scope");
        assertThat(audit.since(java.time.Instant.now().minusSeconds(60), 1000)).anySatisfy(event -> {
            assertThat(event.type()).isEqualTo(AuditType.SCOPE_LIMITED);
            assertThat(event.details()).containsEntry("policy", "refuse").containsEntry("scopes", "phone");
        });
    }

    @Test
    void oneCitizenThroughTwoKeysHasOnePairwiseSubjectPerSector() throws Exception {
        Login card = new Login(PortalFixture.CITY, "openid", "idp_hint=test-high");
        IDTokenClaimsSet byCard = card.verify(card.tokens(card.signIn()));
        newBrowser();
        Login app = new Login(PortalFixture.CITY, "openid", "idp_hint=test-substantial");
        person = "app-" + person; // another upstream subject, the same national number
        IDTokenClaimsSet byApp = app.verify(app.tokens(app.signIn()));
        assertThat(byApp.getSubject()).isEqualTo(byCard.getSubject());
        Login tax = new Login(PortalFixture.TAX, "openid", null);
        assertThat(tax.verify(tax.tokens(get(tax.uri()))).getSubject()).as("another sector").isNotEqualTo(byApp.getSubject());
    }

    @Test
    void theAccountPageAsksForASignInAndComesBackToIt() throws Exception {
        HttpResponse<String> page = get(URI.create(FIXTURE.issuer + "/account?lang=nl"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Aanmelden");
        String chooserAddress = location(get(URI.create(FIXTURE.issuer + "/account?signin")));
        assertThat(chooserAddress).contains("/signin?login=");
        HttpResponse<String> chooser = get(URI.create(chooserAddress));
        assertThat(chooser.body()).contains("Testkaart");
        HttpResponse<String> started = postForm(URI.create(FIXTURE.issuer + "/signin/test-high?"
                + URI.create(chooserAddress).getQuery()), "_csrf=" + formValue(chooser.body(), "_csrf"));
        String back = location(get(URI.create(location(started))));
        assertThat(back).contains("/account");
        HttpResponse<String> account = get(URI.create(FIXTURE.issuer).resolve(back));
        assertThat(account.statusCode()).isEqualTo(200);
        assertThat(account.body()).contains("Uw account").contains("Wat websites kregen").doesNotContain("account.");
    }

    private HttpResponse<String> followConsent(HttpResponse<String> answered) throws Exception {
        return get(URI.create(FIXTURE.issuer).resolve(location(answered)));
    }
}

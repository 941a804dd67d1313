package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.util.HtmlUtils;

/**
 * The pages a citizen reads (issue 13), in each of the four languages: an error page keeps its message and
 * its reference code when the language changes; a consent question that cannot be answered leads back to
 * the portal, which gets an answer, and says what the first answer did; the "signed out" page keeps the
 * portal's ui_locales; times carry their zone; receipts come grouped by portal, newest first, paged.
 */
class H2CitizenPagesTest extends AbstractCitizenLoginTest {

    private static final Pattern REFERENCE = Pattern.compile("<code>(PSL-[A-Z0-9]{8})</code>");

    @Autowired
    AuditLog audit;

    // --- item 1 and 4: refused requests, their code audited and kept across languages --------------

    @ParameterizedTest
    @ValueSource(strings = {"fr", "nl", "de", "en"})
    void anUnknownPortalsPageKeepsItsMessageAndCodeInEveryLanguage(String language) throws Exception {
        URI unknown = URI.create(FIXTURE.issuer + "/oauth2/authorize?response_type=code&client_id=nobody-" + language
                + "&scope=openid&redirect_uri=" + enc("https://nobody.example/cb") + "&state=s1");
        switched(unknown, "error.portal-unknown.what", language);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fr", "nl", "de", "en"})
    void anUnregisteredRedirectsPageKeepsItsMessageAndCodeInEveryLanguage(String language) throws Exception {
        URI badRedirect = URI.create(FIXTURE.issuer + "/oauth2/authorize?response_type=code&client_id=" + PortalFixture.CITY
                + "&scope=openid&redirect_uri=" + enc("https://evil.example/cb") + "&state=s1");
        switched(badRedirect, "error.redirect-uri.what", language);
    }

    /** Shown in English first; its language link leads to the same message and code in {@code language}. */
    private void switched(URI request, String message, String language) throws Exception {
        HttpResponse<String> first = page(request, "en");
        assertThat(first.statusCode()).isEqualTo(400);
        assertThat(text(first)).contains(text("en", message));
        String reference = reference(first);
        assertThat(audit.byReference(reference)).as("the code is in the audit trail").singleElement()
                .satisfies(event -> assertThat(event.type()).isEqualTo(AuditType.ERROR_SHOWN));
        String link = "/problem/" + reference + "?lang=" + language;
        assertThat(first.body()).contains("href=\"" + link + "\"");

        HttpResponse<String> switched = page(URI.create(FIXTURE.issuer + link), "en");
        assertThat(switched.statusCode()).isEqualTo(400);
        assertThat(text(switched)).contains(text(language, message)).contains(text(language, "error.title"));
        assertThat(reference(switched)).as("the same code").isEqualTo(reference);
        assertThat(switched.body()).contains("lang=\"" + language + "\"");
        assertThat(audit.byReference(reference)).as("switching adds nothing").hasSize(1);
        newBrowser(); // forget the language cookie
    }

    @ParameterizedTest
    @ValueSource(strings = {"fr", "nl", "de", "en"})
    void aFailedLoginKeepsItsCodeAndLeadsBackToThePortal(String language) throws Exception {
        Login login = new Login(PortalFixture.CITY, "openid", "ui_locales=" + language);
        URI callback = upstreamFrom(get(login.uri()));
        String state = callback.getQuery().replaceAll(".*state=([^&]+).*", "$1");
        HttpResponse<String> failed = get(URI.create(FIXTURE.issuer + "/broker/callback/test-high?error=access_denied&state="
                + state));
        assertThat(failed.statusCode()).isEqualTo(400);
        assertThat(text(failed)).contains(text(language, "login-error.cancelled.what"));
        assertThat(failed.body()).contains("href=\"/signin?login=").contains("href=\"/broker/abandon?login=");
        String reference = reference(failed);
        String other = "en".equals(language) ? "de" : "en";
        HttpResponse<String> switched = get(URI.create(FIXTURE.issuer + "/problem/" + reference + "?lang=" + other));
        assertThat(switched.statusCode()).isEqualTo(400);
        assertThat(text(switched)).contains(text(other, "login-error.cancelled.what"));
        assertThat(reference(switched)).isEqualTo(reference);
        assertThat(login.error(get(URI.create(FIXTURE.issuer + href(failed, "/broker/abandon")))))
                .as("the citizen cancelled").isEqualTo("access_denied");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fr", "nl", "de", "en"})
    void aCodeNeverShownIsNotFound(String language) throws Exception {
        HttpResponse<String> page = page(URI.create(FIXTURE.issuer + "/problem/PSL-AAAAAAAA"), language);
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(text(page)).contains(text(language, "error.not-found.what"));
    }

    // --- item 2: consent questions that cannot be answered lead back to the portal ---------------------

    @ParameterizedTest
    @ValueSource(strings = {"fr", "nl", "de", "en"})
    void aQuestionAnsweredWithSharingSaysSoAndLeadsToThePortalsCode(String language) throws Exception {
        Login login = new Login(PortalFixture.CITY, "openid profile", "ui_locales=" + language);
        assertThat(location(login.signIn())).contains("/consent?login=");
        String form = consentForm("allow");
        HttpResponse<String> first = postForm(URI.create(FIXTURE.issuer + "/consent"), form);
        assertThat(first.statusCode()).isEqualTo(302);
        HttpResponse<String> again = postForm(URI.create(FIXTURE.issuer + "/consent"), form);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(text(again)).contains(text(language, "consent-error.answered-shared.what"))
                .contains(text(language, "consent-error.answered-shared.todo"))
                .doesNotContain(text(language, "consent-error.none.todo"));
        assertThat(again.body()).contains("href=\"/consent/back?login=").contains("href=\"/account\"");
        HttpResponse<String> back = get(URI.create(FIXTURE.issuer + href(again, "/consent/back")));
        assertThat(login.tokens(get(URI.create(FIXTURE.issuer).resolve(location(back))))
                .getOIDCTokens().getIDToken()).as("the portal gets its code").isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fr", "nl", "de", "en"})
    void aQuestionAnsweredWithARefusalSaysSoAndLeadsToAccessDenied(String language) throws Exception {
        Login login = new Login(PortalFixture.CITY, "openid profile", "ui_locales=" + language);
        login.signIn();
        String form = consentForm("deny");
        postForm(URI.create(FIXTURE.issuer + "/consent"), form);
        HttpResponse<String> again = postForm(URI.create(FIXTURE.issuer + "/consent"), form);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(text(again)).contains(text(language, "consent-error.answered-refused.what"));
        String reference = reference(again);
        HttpResponse<String> switched = get(URI.create(FIXTURE.issuer + "/problem/" + reference + "?lang=" + language));
        assertThat(switched.statusCode()).isEqualTo(409);
        assertThat(text(switched)).contains(text(language, "consent-error.answered-refused.what"));
        assertThat(login.error(get(URI.create(FIXTURE.issuer + href(again, "/consent/back"))))).isEqualTo("access_denied");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fr", "nl", "de", "en"})
    void aQuestionForAnotherSignInLeadsBackWithAccessDenied(String language) throws Exception {
        Login login = new Login(PortalFixture.CITY, "openid profile", "ui_locales=" + language);
        login.signIn();
        String form = consentForm("allow");
        signIn("someone-else-" + java.util.UUID.randomUUID(), LOA_HIGH, "");
        HttpResponse<String> refused = postForm(URI.create(FIXTURE.issuer + "/consent"), form);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(text(refused)).contains(text(language, "consent-error.other-citizen.what"))
                .contains(text(language, "consent-error.other-citizen.todo"));
        assertThat(refused.body()).contains("href=\"/consent/back?login=");
        assertThat(login.error(get(URI.create(FIXTURE.issuer + href(refused, "/consent/back"))))).isEqualTo("access_denied");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fr", "nl", "de", "en"})
    void noQuestionWaitingLeadsToTheAccountPage(String language) throws Exception {
        HttpResponse<String> none = page(URI.create(FIXTURE.issuer + "/consent"), language);
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(text(none)).contains(text(language, "consent-error.none.what"));
        assertThat(location(get(URI.create(FIXTURE.issuer + "/consent/back")))).endsWith("/account");
    }

    /** The address of the page's first link to {@code path} (with the login it names). */
    static String href(HttpResponse<String> page, String path) {
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("href=\"(" + java.util.regex.Pattern.quote(path)
                + "[^\"]*)\"").matcher(page.body());
        assertThat(link.find()).as("a link to " + path).isTrue();
        return org.springframework.web.util.HtmlUtils.htmlUnescape(link.group(1));
    }

    private String consentForm(String decision) throws Exception {
        String page = consentPage().body();
        return "decision=" + decision + "&request=" + formValue(page, "request") + "&_csrf=" + formValue(page, "_csrf")
                + "&claim=given_name";
    }

    // --- item 5: language after sign-out, time zones, receipts --------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"fr", "nl", "de", "en"})
    void theAccountPageAndSignOutKeepThePortalsLanguageAndShowTheTimeZone(String language) throws Exception {
        Login login = new Login(PortalFixture.CITY, "openid profile", "ui_locales=" + language);
        login.signIn();
        login.tokens(login.consent(claim -> true));
        HttpResponse<String> account = page(URI.create(FIXTURE.issuer + "/account"), "en");
        assertThat(account.statusCode()).isEqualTo(200);
        assertThat(text(account)).contains(text(language, "account.title"));
        String zone = DateTimeFormatter.ofPattern("zzz", Locale.of(language)).withZone(ZoneId.of("Europe/Brussels"))
                .format(Instant.now());
        assertThat(text(account)).as("times name their zone").contains(" " + zone);
        assertThat(account.body()).contains("<h3>").doesNotContain("<table");

        HttpResponse<String> signedOut = postForm(URI.create(FIXTURE.issuer + "/account/signout"),
                "_csrf=" + formValue(account.body(), "_csrf"));
        assertThat(signedOut.statusCode()).isEqualTo(302);
        HttpResponse<String> done = page(URI.create(FIXTURE.issuer).resolve(location(signedOut)), "en");
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(text(done)).as("the session is gone, the language is not").contains(text(language, "signed-out.title"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fr", "nl", "de", "en"})
    void aPortalsLogoutWithoutUiLocalesKeepsTheLanguageOfTheSignIn(String language) throws Exception {
        Login login = new Login(PortalFixture.CITY, "openid profile", "ui_locales=" + language);
        login.signIn();
        String idToken = login.tokens(login.consent(claim -> true)).getOIDCTokens().getIDTokenString();
        HttpResponse<String> logout = page(URI.create(FIXTURE.issuer + "/connect/logout?id_token_hint=" + idToken), "en");
        assertThat(location(logout)).isEqualTo(FIXTURE.issuer + "/signout/done?ui_locales=" + language);
        HttpResponse<String> done = page(URI.create(location(logout)), "en");
        assertThat(text(done)).contains(text(language, "signed-out.title"));
    }

    @org.junit.jupiter.api.Test
    void receiptsAreGroupedByPortalNewestFirstAndPaged() throws Exception {
        Login first = new Login(PortalFixture.CITY, "openid profile", "ui_locales=en");
        first.signIn();
        first.tokens(first.consent(claim -> true));
        for (int i = 0; i < 10; i++) {
            // Signed in and consented: each new request of the portal is answered at once, with a receipt.
            Login again = new Login(PortalFixture.CITY, "openid profile", "ui_locales=en");
            again.tokens(get(again.uri()));
        }
        String page1 = get(URI.create(FIXTURE.issuer + "/account")).body();
        assertThat(count(page1, "<li>\\s*<span class=\"when\"")).isEqualTo(10);
        assertThat(count(page1, "<h3>")).as("one portal, one group").isEqualTo(1);
        assertThat(page1).contains("href=\"/account?page=2\"").doesNotContain("href=\"/account?page=0\"");
        String second = get(URI.create(FIXTURE.issuer + "/account?page=2")).body();
        assertThat(count(second, "<li>\\s*<span class=\"when\"")).isEqualTo(1);
        assertThat(second).contains("href=\"/account?page=1\"").doesNotContain("page=3");
    }

    private static int count(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }

    // --- helpers -----------------------------------------------------------------------------------

    private HttpResponse<String> page(URI uri, String language) throws Exception {
        return browser.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").header("Accept-Language", language)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String reference(HttpResponse<String> page) {
        Matcher matcher = REFERENCE.matcher(page.body());
        assertThat(matcher.find()).as("a reference code in " + page.body()).isTrue();
        return matcher.group(1);
    }

    private static String text(HttpResponse<String> page) {
        return HtmlUtils.htmlUnescape(page.body());
    }

    /** The message as the bundle has it (without MessageFormat arguments). */
    static String text(String language, String key) {
        Properties bundle = new Properties();
        String name = "en".equals(language) ? "/messages.properties" : "/messages_" + language + ".properties";
        try (InputStream in = H2CitizenPagesTest.class.getResourceAsStream(name)) {
            bundle.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        String value = bundle.getProperty(key);
        assertThat(value).as(language + " " + key).isNotNull();
        return value.replace("''", "'");
    }
}

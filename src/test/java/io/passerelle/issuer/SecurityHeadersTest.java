package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.stream.Stream;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11: every HTML page carries exactly the same security headers, whichever filter chain served
 * it: the authorize error page is rendered by an error dispatch of the OAuth chain, the 404 page and
 * the citizen pages by the citizen chain. Before, the authorize error page had no content security
 * policy and no referrer policy.
 */
class SecurityHeadersTest extends AbstractIssuerIntegrationTest {

    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    interface Page {
        HttpResponse<String> open(SecurityHeadersTest test) throws Exception;
    }

    static Stream<Arguments> pages() {
        return Stream.of(
                Arguments.of("key chooser", 200, "Choose the key you want to sign in with.", (Page) test -> {
                    test.get(test.authorize(PortalFixture.CITY, PortalFixture.CALLBACK, new CodeVerifier()));
                    return test.chooserPage(null);
                }),
                Arguments.of("sign-in without a request", 200, "There is no sign-in in progress",
                        (Page) test -> test.page("/signin")),
                Arguments.of("account sign-in prompt", 200, "Sign in to see which websites received data",
                        (Page) test -> test.page("/account")),
                Arguments.of("consent page", 200, "City of Example asks to receive data about you", (Page) test -> {
                    test.autoConsent = false;
                    URI authorize = test.authorize(PortalFixture.CITY, PortalFixture.CALLBACK, new CodeVerifier());
                    // The test key signs in a citizen with a given name: the portal's profile scope asks for it.
                    HttpResponse<String> asked = test.get(test.upstreamFrom(test.get(URI.create(authorize.toString()
                            .replace("scope=openid", "scope=openid+profile") + "&idp_hint=test-high&login_hint=headers-"
                            + UUID.randomUUID()))));
                    assertThat(location(asked)).startsWith(test.fixture.issuer + "/consent?login=");
                    return test.consentPage();
                }),
                Arguments.of("consent page without a question", 400, "There is no question about sharing data",
                        (Page) test -> test.page("/consent")),
                Arguments.of("authorize error: unknown portal", 400, "The website that sent you here is not registered",
                        (Page) test -> test.get(URI.create(test.op.getAuthorizationEndpointURI()
                                + "?response_type=code&scope=openid&client_id=nobody&redirect_uri=https://evil.example/cb"
                                + "&code_challenge=" + "a".repeat(43) + "&code_challenge_method=S256"))),
                Arguments.of("authorize error: unregistered redirect_uri", 400, "an address it has not registered",
                        (Page) test -> test.get(test.authorize(PortalFixture.CITY, "https://evil.example/cb",
                                new CodeVerifier()))),
                Arguments.of("404 page", 404, "This page does not exist.",
                        (Page) test -> test.page("/css/no-such-file.css")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void everyHtmlPageHasTheSameSecurityHeaders(String name, int status, String text, Page page) throws Exception {
        HttpResponse<String> response = page.open(this);
        assertThat(response.statusCode()).as(name).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
        assertThat(response.body()).contains(text).doesNotContain("Exception");
        var headers = response.headers();
        assertThat(headers.allValues("Content-Security-Policy")).as(name).containsExactly(CSP);
        assertThat(headers.allValues("Referrer-Policy")).as(name).containsExactly("same-origin");
        assertThat(headers.allValues("X-Frame-Options")).as(name).containsExactly("DENY");
        assertThat(headers.allValues("X-Content-Type-Options")).as(name).containsExactly("nosniff");
        assertThat(headers.allValues("Cache-Control")).as(name)
                .containsExactly("no-cache, no-store, max-age=0, must-revalidate");
    }

    /** Browsers ask for it on every page: served, so that no page view leaves an error reference behind. */
    @org.junit.jupiter.api.Test
    void theFaviconIsServed() throws Exception {
        HttpResponse<byte[]> icon = browser.send(java.net.http.HttpRequest.newBuilder(URI.create(fixture.issuer + "/favicon.ico"))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.body()).startsWith(0, 0, 1, 0); // the ICO header: reserved 0, type 1 (icon)
        assertThat(icon.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("image/"));
    }

    private HttpResponse<String> page(String path) throws Exception {
        return get(URI.create(fixture.issuer + path));
    }
}

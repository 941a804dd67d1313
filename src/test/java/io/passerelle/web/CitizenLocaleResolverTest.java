package io.passerelle.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import jakarta.servlet.http.Cookie;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** The citizen's language: switcher cookie, then ui_locales (OIDC Core 3.1.2.1), then Accept-Language. */
class CitizenLocaleResolverTest {

    private final CitizenLocaleResolver resolver = new CitizenLocaleResolver();

    @Test
    void uiLocalesFirstSupportedTagWins() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setParameter("ui_locales", "es-ES nl-BE fr");
        request.addHeader("Accept-Language", "de");
        assertThat(resolver.resolveLocale(request).getLanguage()).isEqualTo("nl");
    }

    @Test
    void switcherCookieBeatsEverything() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.setCookies(new Cookie(CitizenLocaleResolver.COOKIE, "de"));
        request.setParameter("ui_locales", "fr");
        assertThat(resolver.resolveLocale(request).getLanguage()).isEqualTo("de");
    }

    @Test
    void acceptLanguageThenEnglish() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Accept-Language", "fr-BE,fr;q=0.9,en;q=0.5");
        assertThat(resolver.resolveLocale(request).getLanguage()).isEqualTo("fr");
        MockHttpServletRequest unsupported = new MockHttpServletRequest();
        unsupported.addHeader("Accept-Language", "ja");
        assertThat(resolver.resolveLocale(unsupported)).isEqualTo(Locale.ENGLISH);
        MockHttpServletRequest malformed = new MockHttpServletRequest();
        malformed.addHeader("Accept-Language", ";;;q=x");
        assertThat(resolver.resolveLocale(malformed)).isEqualTo(Locale.ENGLISH);
    }
}

package io.passerelle.web;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.passerelle.broker.LoginTransaction;
import io.passerelle.broker.LoginTransactionStore;

import org.springframework.web.servlet.LocaleResolver;

/**
 * Picks the citizen's language among FR, NL, DE and EN: the language switcher's choice (a cookie),
 * else the portal's {@code ui_locales} (OIDC Core 3.1.2.1, first supported tag wins; on this request or
 * remembered with the login in progress), else the browser's Accept-Language, else English.
 */
public final class CitizenLocaleResolver implements LocaleResolver {

    public static final List<Locale> SUPPORTED = List.of(Locale.of("fr"), Locale.of("nl"), Locale.of("de"),
            Locale.ENGLISH);
    static final String COOKIE = "passerelle_lang";
    private static final String ATTRIBUTE = CitizenLocaleResolver.class.getName() + ".locale";

    @Override
    public Locale resolveLocale(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof Locale switched) {
            return switched;
        }
        Locale chosen = null;
        if (request.getCookies() != null) {
            for (Cookie cookie : request.getCookies()) {
                if (COOKIE.equals(cookie.getName())) {
                    chosen = supported(cookie.getValue());
                }
            }
        }
        if (chosen != null) {
            return chosen;
        }
        Locale fromPortal = firstSupported(request.getParameter("ui_locales"));
        if (fromPortal == null) {
            // Later pages of the same login (chooser, callback, consent, errors) follow the portal's ui_locales too.
            if (request.getAttribute(LoginTransactionStore.ATTRIBUTE) instanceof LoginTransaction login) {
                fromPortal = firstSupported(login.demand().uiLocales());
            }
        }
        if (fromPortal != null) {
            return fromPortal;
        }
        String accept = request.getHeader("Accept-Language");
        if (accept != null && accept.length() <= 500) {
            try {
                Locale best = Locale.lookup(Locale.LanguageRange.parse(accept), SUPPORTED);
                if (best != null) {
                    return best;
                }
            } catch (IllegalArgumentException malformed) {
                // A malformed header is the browser's problem, not a reason to fail the page.
            }
        }
        return Locale.ENGLISH;
    }

    @Override
    public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
        Locale value = locale == null ? null : supported(locale.getLanguage());
        if (value == null) {
            return;
        }
        request.setAttribute(ATTRIBUTE, value);
        Cookie cookie = new Cookie(COOKIE, value.getLanguage());
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSecure(request.isSecure());
        cookie.setMaxAge((int) Duration.ofDays(365).toSeconds());
        cookie.setAttribute("SameSite", "Lax");
        response.addCookie(cookie);
    }

    private static Locale firstSupported(String uiLocales) {
        if (uiLocales == null || uiLocales.length() > 200) {
            return null;
        }
        for (String tag : uiLocales.trim().split("\\s+")) {
            Locale locale = supported(tag);
            if (locale != null) {
                return locale;
            }
        }
        return null;
    }

    static Locale supported(String tag) {
        if (tag == null) {
            return null;
        }
        String language = Locale.forLanguageTag(tag.trim()).getLanguage();
        return SUPPORTED.stream().filter(l -> l.getLanguage().equals(language)).findFirst().orElse(null);
    }
}

package io.passerelle.broker;

import java.security.SecureRandom;
import java.util.Base64;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The browser's login cookie: an opaque random value, HttpOnly, SameSite=Lax (the providers' callbacks
 * are top-level GET navigations), Secure when the issuer is https, for as long as the browser runs. A
 * login in flight stores only its SHA-256, so the callback, the key chooser and the consent page are
 * served only to the browser that started the login (login CSRF; RFC 9700 4.7.1), on any node, and the
 * table does not hold the cookie itself.
 */
public final class BrowserCookie {

    public static final String NAME = "PASSERELLE_LOGIN";
    private static final String CACHED = BrowserCookie.class.getName();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean secure;

    public BrowserCookie(boolean secure) {
        this.secure = secure;
    }

    /** The hash of this browser's login cookie, or null when it has none. */
    public static String hashOf(HttpServletRequest request) {
        if (request.getAttribute(CACHED) instanceof String hash) {
            return hash;
        }
        if (request.getCookies() != null) {
            for (Cookie cookie : request.getCookies()) {
                if (NAME.equals(cookie.getName()) && cookie.getValue() != null && cookie.getValue().length() == 43) {
                    String hash = LoginTransaction.sha256(cookie.getValue());
                    request.setAttribute(CACHED, hash);
                    return hash;
                }
            }
        }
        return null;
    }

    /** The hash of this browser's login cookie, giving the browser one first. */
    public String bind(HttpServletRequest request, HttpServletResponse response) {
        String hash = hashOf(request);
        if (hash != null) {
            return hash;
        }
        byte[] value = new byte[32];
        RANDOM.nextBytes(value);
        String cookieValue = Base64.getUrlEncoder().withoutPadding().encodeToString(value);
        Cookie cookie = new Cookie(NAME, cookieValue);
        cookie.setPath(request.getContextPath().isEmpty() ? "/" : request.getContextPath());
        cookie.setHttpOnly(true);
        cookie.setSecure(secure || request.isSecure());
        cookie.setAttribute("SameSite", "Lax");
        response.addCookie(cookie);
        hash = LoginTransaction.sha256(cookieValue);
        request.setAttribute(CACHED, hash);
        return hash;
    }
}

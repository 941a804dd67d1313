package io.passerelle.web;

import java.nio.charset.StandardCharsets;

import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The way back to a portal when the citizen gives up or refuses, or the sign-in could not be done:
 * {@code access_denied}, or the error that names the failure (RFC 6749
 * 4.1.2.1) at the portal's already validated redirect URI, with its {@code state} and {@code iss}
 * (RFC 9207).
 */
final class AccessDenied {

    private AccessDenied() {
    }

    static String redirect(String redirectUri, String state, String issuer, String description) {
        return redirect("access_denied", redirectUri, state, issuer, description);
    }

    /** The same with another RFC 6749 4.1.2.1 error code ({@code temporarily_unavailable}, {@code server_error}). */
    static String redirect(String error, String redirectUri, String state, String issuer, String description) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(redirectUri)
                .queryParam("error", error)
                .queryParam("error_description", encode(description));
        if (state != null) {
            uri.queryParam("state", encode(state));
        }
        uri.queryParam("iss", encode(issuer));
        return "redirect:" + uri.build(true).toUriString();
    }

    private static String encode(String value) {
        return UriUtils.encode(value, StandardCharsets.UTF_8);
    }
}

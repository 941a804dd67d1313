package io.passerelle.broker;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.util.UriUtils;

import java.time.Instant;
import java.util.Set;

import io.passerelle.connector.Loa;

/**
 * What the portal's authorization request demands of the sign-in, computed by the authorization
 * endpoint after it validated the request (PAR included), and kept in the login's record
 * ({@link LoginTransaction}) for the key chooser and the broker.
 *
 * @param clientId    the portal (null for the citizen's own account page)
 * @param redirectUri the validated redirect URI (to send an error back if the citizen gives up)
 * @param state       the portal's state, echoed with such an error
 * @param requiredLoa the portal's minimum and its {@code acr_values}, whichever is higher
 * @param idpHint     a connector id the portal suggests, or null
 * @param maxAge      OIDC {@code max_age} in seconds, or null
 * @param prompt      OIDC {@code prompt} values
 * @param uiLocales   OIDC {@code ui_locales}, or null
 * @param loginHint   OIDC {@code login_hint}, or null
 * @param at          when the demand was made
 * @param resumeUrl   the request to resume once signed in (see {@link #resumeUrlOf})
 */
public record LoginDemand(String clientId, String redirectUri, String state, Loa requiredLoa, String idpHint,
                          Long maxAge, Set<String> prompt, String uiLocales, String loginHint, Instant at,
                          String resumeUrl) {

    public LoginDemand {
        prompt = prompt == null ? Set.of() : Set.copyOf(prompt);
    }

    /**
     * The request to resume after the sign-in, as a path and query of this gateway: its parameters, GET
     * query and POSTed form alike (OIDC Core 3.1.2.1: the endpoint accepts both), so the browser comes
     * back with one GET. A few hundred bytes, where a saved servlet request would keep every header.
     */
    public static String resumeUrlOf(HttpServletRequest http) {
        StringBuilder uri = new StringBuilder(http.getRequestURI());
        char separator = '?';
        for (Map.Entry<String, String[]> parameter : http.getParameterMap().entrySet()) {
            for (String value : parameter.getValue()) {
                uri.append(separator).append(UriUtils.encode(parameter.getKey(), StandardCharsets.UTF_8))
                        .append('=').append(UriUtils.encode(value, StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return uri.toString();
    }
}

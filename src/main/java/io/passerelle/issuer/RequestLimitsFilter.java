package io.passerelle.issuer;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses oversized or repeated OAuth parameters before any parsing or storage (RFC 6749 4.1.2.1 / 5.2
 * {@code invalid_request}). Real parameters are short: scopes, states and nonces of a few hundred
 * characters at most; only signed JWTs (client assertions, ID token hints) get more room. Without this
 * bound an attacker could make the server store megabytes per authorization request.
 */
public final class RequestLimitsFilter extends OncePerRequestFilter {

    static final int MAX_VALUE = 2048;
    static final int MAX_JWT_VALUE = 16_384;
    static final int MAX_PARAMETERS = 40;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final Set<String> JWT_PARAMETERS = Set.of("client_assertion", "id_token_hint", "token", "request");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String problem = problem(request.getParameterMap());
        if (problem == null) {
            chain.doFilter(request, response);
            return;
        }
        OAuth2Error error = new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, problem, null);
        if (request.getRequestURI().endsWith("/oauth2/authorize")) {
            // The redirect URI is not verified yet: the citizen gets the error page, never a redirect.
            request.setAttribute(AuthorizationResponseHandler.ERROR_ATTRIBUTE, error);
            response.sendError(HttpStatus.BAD_REQUEST.value(), error.getErrorCode());
            return;
        }
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("{\"error\":\"invalid_request\",\"error_description\":\"" + problem + "\"}");
    }

    static String problem(Map<String, String[]> parameters) {
        if (parameters.size() > MAX_PARAMETERS) {
            return "too many parameters";
        }
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            if (!NAME.matcher(name).matches()) {
                return "malformed parameter name";
            }
            if (parameter.getValue().length > 1 && !"resource".equals(name)) {
                // RFC 6749 3.1 and 3.2: parameters MUST NOT be included more than once.
                return "parameter " + name + " is repeated";
            }
            int limit = JWT_PARAMETERS.contains(name) ? MAX_JWT_VALUE : MAX_VALUE;
            for (String value : parameter.getValue()) {
                if (value.length() > limit) {
                    return "parameter " + name + " is too long";
                }
            }
        }
        return null;
    }
}

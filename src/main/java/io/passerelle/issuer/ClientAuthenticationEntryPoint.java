package io.passerelle.issuer;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * What a client-authenticated endpoint (token, PAR, introspection, revocation) answers to a request that
 * carries no client authentication at all: 401 {@code invalid_client} with a {@code WWW-Authenticate}
 * naming HTTP Basic (RFC 6749 5.2; RFC 7662 2.1 and RFC 9126 2 reuse the token endpoint's client
 * authentication). Never a redirect to the sign-in page: a portal's back end cannot sign in a citizen.
 */
public final class ClientAuthenticationEntryPoint implements AuthenticationEntryPoint {

    /** The {@code WWW-Authenticate} challenge of every 401 {@code invalid_client}. */
    public static final String CHALLENGE = "Basic realm=\"passerelle\"";

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException cause)
            throws IOException {
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setHeader("WWW-Authenticate", CHALLENGE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write("{\"error\":\"invalid_client\",\"error_description\":"
                + "\"client authentication is required\"}");
    }
}

package io.passerelle.issuer.throttle;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.passerelle.audit.ReferenceCode;
import io.passerelle.availability.DatabaseOutage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * The client authentication filter's error handler: answers as the server does (401 for
 * {@code invalid_client}, else 400, the error code only, never why a credential was wrong), adds the
 * {@code WWW-Authenticate} challenge RFC 6749 5.2 asks for with a 401, and counts an
 * {@code invalid_client} for {@link ClientAuthThrottle}. A failure the database caused is not the portal's:
 * it gets 503 {@code server_error} (as from every API endpoint during an outage), and nothing is counted.
 */
public final class ThrottledClientAuthFailureHandler implements AuthenticationFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(ThrottledClientAuthFailureHandler.class);

    private final ClientAuthThrottle throttle;
    /** The {@code WWW-Authenticate} challenge of the issuer's client authentication (RFC 6749 5.2). */
    private final String challenge;
    private final OAuth2ErrorHttpMessageConverter errors = new OAuth2ErrorHttpMessageConverter();

    public ThrottledClientAuthFailureHandler(ClientAuthThrottle throttle, String challenge) {
        this.challenge = challenge;
        this.throttle = throttle;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException exception) throws IOException {
        SecurityContextHolder.clearContext();
        if (DatabaseOutage.causedBy(exception)) {
            String reference = ReferenceCode.next();
            log.warn("error {}: database unavailable during client authentication on {}: {}", reference,
                    request.getRequestURI(), exception.toString());
            DatabaseOutage.writeJson(response, reference);
            return;
        }
        OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth
                ? oauth.getError() : new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT);
        ServletServerHttpResponse http = new ServletServerHttpResponse(response);
        if (OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode())) {
            throttle.failed(request.getRemoteAddr(), ClientAuthThrottleFilter.clientId(request));
            http.setStatusCode(HttpStatus.UNAUTHORIZED);
            http.getHeaders().set("WWW-Authenticate", challenge);
        } else {
            http.setStatusCode(HttpStatus.BAD_REQUEST);
        }
        errors.write(new OAuth2Error(error.getErrorCode()), null, http);
    }
}

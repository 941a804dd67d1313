package io.passerelle.issuer;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.passerelle.availability.DatabaseOutage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeRequestAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import io.passerelle.portal.PortalRegistry;

/**
 * The authorization endpoint during a database outage: the portal is told {@code temporarily_unavailable}
 * (RFC 6749 4.1.2.1) at its redirect URI, with state and iss (by {@link AuthorizationResponseHandler}),
 * so that it can tell the citizen and retry, instead of the citizen being left on Passerelle's page.
 *
 * <p>The server's authorization filters catch only OAuth errors: a database failure in the request's
 * checks ({@code AuthorizeSteps}, run by the server's validating filter or by its provider) or in saving
 * the authorization propagates through them to here. The redirect URI is checked again here, without
 * the database (portals are held in memory, {@link PortalRegistry}), with the server's exact-match rule:
 * the outage may have struck before that check ran, and an error is never sent to an unverified
 * address. A pushed request (its redirect URI is in the database) or one without a usable redirect URI
 * keeps the outage, and the citizen gets the 503 error page.
 */
final class AuthorizationOutageFilter extends OncePerRequestFilter {

    static final String AUTHORIZATION_ENDPOINT = "/oauth2/authorize";

    private static final Logger log = LoggerFactory.getLogger(AuthorizationOutageFilter.class);

    private final RegisteredClientRepository clients;
    private final AuthenticationFailureHandler responses;
    private final OAuth2AuthorizationCodeRequestAuthenticationConverter requests =
            new OAuth2AuthorizationCodeRequestAuthenticationConverter();

    AuthorizationOutageFilter(RegisteredClientRepository clients, AuthenticationFailureHandler responses) {
        this.clients = clients;
        this.responses = responses;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !AUTHORIZATION_ENDPOINT.equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException failure) {
            OAuth2AuthorizationCodeRequestAuthenticationToken verified =
                    DatabaseOutage.causedBy(failure) && !response.isCommitted() ? verifiedRequest(request) : null;
            if (verified == null) {
                throw failure;
            }
            log.warn("authorization request of {} answered temporarily_unavailable, database unavailable: {}",
                    verified.getClientId(), failure.toString());
            responses.onAuthenticationFailure(request, response, new OAuth2AuthorizationCodeRequestAuthenticationException(
                    new OAuth2Error(OAuth2ErrorCodes.TEMPORARILY_UNAVAILABLE,
                            "Passerelle is temporarily unavailable; try again in a few minutes.", null),
                    failure, verified));
        }
    }

    /** The request, when its redirect URI is one its portal registered; else null (no redirect). */
    private OAuth2AuthorizationCodeRequestAuthenticationToken verifiedRequest(HttpServletRequest request) {
        try {
            // The converter reads the principal; loading it from the session store would fail again (the
            // store is the database): this request is answered without a sign-in anyway.
            org.springframework.security.core.context.SecurityContextHolder.setContext(
                    org.springframework.security.core.context.SecurityContextHolder.createEmptyContext());
            Authentication converted = requests.convert(request);
            if (!(converted instanceof OAuth2AuthorizationCodeRequestAuthenticationToken token)
                    || StringUtils.hasText((String) token.getAdditionalParameters().get(OAuth2ParameterNames.REQUEST_URI))
                    || !StringUtils.hasText(token.getRedirectUri())) {
                return null;
            }
            RegisteredClient client = clients.findByClientId(token.getClientId());
            if (client == null) {
                return null;
            }
            OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR.accept(
                    OAuth2AuthorizationCodeRequestAuthenticationContext.with(token).registeredClient(client).build());
            return token;
        } catch (OAuth2AuthenticationException invalid) {
            return null;
        }
    }
}

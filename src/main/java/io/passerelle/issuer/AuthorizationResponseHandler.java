package io.passerelle.issuer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.authorize.InteractionRequired;
import io.passerelle.authorize.Interactions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Sends the authorization response back to the portal, with {@code iss} added (RFC 9207 2) so a
 * portal that talks to several providers can detect mix-up attacks; a request that needs the citizen
 * ({@link InteractionRequired}) goes to {@link Interactions}.
 *
 * <p>An error is redirected to the portal only when the server has validated the redirect URI
 * (RFC 6749 4.1.2.1: never redirect to an unverified URI). Otherwise, for an unknown client or a
 * mismatching redirect URI, the citizen gets Passerelle's own error page: the OAuth error is left as
 * a request attribute for the error page, which shows it in the citizen's language.
 */
public final class AuthorizationResponseHandler implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    /** Request attribute carrying the {@link OAuth2Error} to the citizen's error page. */
    public static final String ERROR_ATTRIBUTE = "passerelle.oauth2.error";

    private static final Logger log = LoggerFactory.getLogger(AuthorizationResponseHandler.class);

    private final String issuer;
    private final Interactions interactions;
    private final AuditLog audit;

    public AuthorizationResponseHandler(String issuer, Interactions interactions, AuditLog audit) {
        this.issuer = issuer;
        this.interactions = interactions;
        this.audit = audit;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                        Authentication authentication) throws IOException {
        var token = (OAuth2AuthorizationCodeRequestAuthenticationToken) authentication;
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(token.getRedirectUri())
                .queryParam(OAuth2ParameterNames.CODE, encode(token.getAuthorizationCode().getTokenValue()));
        addStateAndIssuer(uri, token.getState());
        interactions.completed(request);
        audit.record(AuditEvent.of(AuditType.CODE_ISSUED).actor("citizen").client(token.getClientId())
                .citizen(token.getPrincipal() instanceof Authentication a ? a.getName() : null));
        redirect(response, uri);
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException exception) throws IOException, ServletException {
        OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth
                ? oauth.getError() : new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR);
        OAuth2AuthorizationCodeRequestAuthenticationToken token =
                exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException e
                        ? e.getAuthorizationCodeRequestAuthentication() : null;
        if (exception instanceof InteractionRequired interaction) {
            interactions.handle(interaction, request, response);
            return;
        }
        if (token == null || !StringUtils.hasText(token.getRedirectUri())) {
            log.info("authorization request refused without redirect: {} ({})", error.getErrorCode(),
                    error.getDescription());
            request.setAttribute(ERROR_ATTRIBUTE, error);
            response.sendError(HttpStatus.BAD_REQUEST.value(), error.getErrorCode());
            return;
        }
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(token.getRedirectUri())
                .queryParam(OAuth2ParameterNames.ERROR, encode(error.getErrorCode()));
        if (StringUtils.hasText(error.getDescription())) {
            uri.queryParam(OAuth2ParameterNames.ERROR_DESCRIPTION, encode(error.getDescription()));
        }
        if (StringUtils.hasText(error.getUri())) {
            uri.queryParam(OAuth2ParameterNames.ERROR_URI, encode(error.getUri()));
        }
        addStateAndIssuer(uri, token.getState());
        redirect(response, uri);
    }

    private void addStateAndIssuer(UriComponentsBuilder uri, String state) {
        if (StringUtils.hasText(state)) {
            uri.queryParam(OAuth2ParameterNames.STATE, encode(state));
        }
        uri.queryParam("iss", encode(issuer));
    }

    private static void redirect(HttpServletResponse response, UriComponentsBuilder uri) throws IOException {
        // build(true): every component above is already encoded.
        response.sendRedirect(uri.build(true).toUriString());
    }

    private static String encode(String value) {
        return UriUtils.encode(value, StandardCharsets.UTF_8);
    }
}

package io.passerelle.authorize;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.util.StringUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * One named rule of the authorization endpoint ({@link AuthorizeSteps} lists them in order). A step
 * either returns (the request may go on) or throws the OAuth error its spec section names, which the
 * server sends back to the portal's already validated redirect URI.
 *
 * @param name    what the step checks, as the table and the logs say it
 * @param spec    the specification section that asks for it
 * @param rule    the check itself, on the server's validation context
 */
public record AuthorizeStep(String name, String spec, Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> rule) {

    /** A request parameter as text, or null when absent or blank. */
    static String parameter(OAuth2AuthorizationCodeRequestAuthenticationContext context, String name) {
        return request(context).getAdditionalParameters().get(name) instanceof String value
                && StringUtils.hasText(value) ? value : null;
    }

    /** The authorization request being validated (these steps run on the authorization endpoint only). */
    static OAuth2AuthorizationCodeRequestAuthenticationToken request(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        return context.getAuthentication();
    }

    /**
     * An error for the portal: redirected to the request's redirect URI, or to the only one the portal
     * registered when the request named none (RFC 6749 3.1.2.3). Only steps after the redirect URI
     * check may throw it.
     */
    static OAuth2AuthorizationCodeRequestAuthenticationException refuse(String code, String description, String uri,
            OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        return new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(code, description, uri),
                withRedirect(context));
    }

    /** The portal's validated redirect URI: the request's, or the only one the portal registered (RFC 6749 3.1.2.3). */
    static String redirectUri(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = request(context);
        return StringUtils.hasText(request.getRedirectUri()) ? request.getRedirectUri()
                : context.getRegisteredClient().getRedirectUris().iterator().next();
    }

    /** The request with its redirect URI resolved, for an answer to the portal. */
    static OAuth2AuthorizationCodeRequestAuthenticationToken withRedirect(
            OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = request(context);
        return new OAuth2AuthorizationCodeRequestAuthenticationToken(request.getAuthorizationUri(),
                request.getClientId(), (org.springframework.security.core.Authentication) request.getPrincipal(),
                redirectUri(context), request.getState(), request.getScopes(), request.getAdditionalParameters());
    }

    /** A space-separated parameter (prompt, acr_values) as a set of words. */
    static Set<String> words(Object value) {
        return value instanceof String text && StringUtils.hasText(text)
                ? new HashSet<>(Arrays.asList(text.trim().split("\\s+"))) : Set.of();
    }

    /** The servlet request being served (the server's hooks do not pass it). */
    static HttpServletRequest http() {
        return ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
    }
}

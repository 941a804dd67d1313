package io.passerelle.issuer;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.DelegatingAuthenticationConverter;

/**
 * The pushed authorization request endpoint's converters, made to answer {@code invalid_request} (RFC 9126
 * 2.3) when none of them recognises the body: the server's PAR filter asserts that a request was
 * recognised, and a body without {@code response_type}, an empty body or a JSON body came out as a 500.
 * The server's own failure handler then writes the error as JSON with 400.
 */
public final class PushedRequestConverter implements AuthenticationConverter {

    private final AuthenticationConverter delegate;

    private PushedRequestConverter(List<AuthenticationConverter> converters) {
        this.delegate = new DelegatingAuthenticationConverter(List.copyOf(converters));
    }

    /** Replaces the configured converters by one that wraps them all, for {@code pushedAuthorizationRequestConverters}. */
    public static void wrap(List<AuthenticationConverter> converters) {
        PushedRequestConverter wrapped = new PushedRequestConverter(converters);
        converters.clear();
        converters.add(wrapped);
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        Authentication authentication = delegate.convert(request);
        if (authentication == null) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                    "not an authorization request: a form body (application/x-www-form-urlencoded) with"
                            + " response_type=code, client_id, redirect_uri, scope and code_challenge is expected", null));
        }
        return authentication;
    }
}

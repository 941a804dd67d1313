package io.passerelle.keys;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;

/**
 * Wraps the authorization server's {@link OAuth2TokenIntrospectionAuthenticationProvider}: a token the
 * server finds active is reported inactive ({@code {"active": false}}, RFC 7662 2.2) when it was signed by
 * a revoked key. The server looks tokens up by value and never re-checks their signature, so this is the
 * one place an emergency revocation reaches tokens that have not expired yet.
 *
 * <p>Wired in the issuer's filter chain:
 * <pre>{@code
 * .tokenIntrospectionEndpoint(introspection -> introspection.authenticationProviders(providers ->
 *         providers.replaceAll(provider -> provider instanceof OAuth2TokenIntrospectionAuthenticationProvider
 *                 ? new RevokedKeyIntrospection(provider, revokedKeys) : provider)))
 * }</pre>
 */
public final class RevokedKeyIntrospection implements AuthenticationProvider {

    private final AuthenticationProvider delegate;
    private final RevokedKeys revokedKeys;

    public RevokedKeyIntrospection(AuthenticationProvider delegate, RevokedKeys revokedKeys) {
        this.delegate = delegate;
        this.revokedKeys = revokedKeys;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        // The delegate first: it authenticates the calling client, which must happen whatever the token.
        Authentication result = delegate.authenticate(authentication);
        if (result instanceof OAuth2TokenIntrospectionAuthenticationToken introspection
                && introspection.getTokenClaims().isActive()
                && introspection.getPrincipal() instanceof Authentication client
                && revokedKeys.signedByRevokedKey(introspection.getToken())) {
            return new OAuth2TokenIntrospectionAuthenticationToken(introspection.getToken(), client,
                    OAuth2TokenIntrospection.builder().build());
        }
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }
}

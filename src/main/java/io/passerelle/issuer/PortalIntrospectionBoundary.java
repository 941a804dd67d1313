package io.passerelle.issuer;

import io.passerelle.portal.PortalConfig;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import io.passerelle.portal.PortalRegistry;

/**
 * Keeps each portal's tokens to itself at the introspection endpoint. The server answers any
 * authenticated client about any token, so portal B could learn who signed in at portal A (its
 * {@code sub}, {@code client_id} and scopes) from a token it should never have seen. RFC 7662 2.2 and
 * 4 let the server tell a caller that is not allowed to know about a token only {@code active: false};
 * OIDC Core 8.1 pairwise subjects would be undone otherwise.
 *
 * <p>Allowed: the token's own portal, and the portals its file lists in {@code introspection_clients}
 * (resource servers it sends its tokens to). Wraps the server's provider (and whatever wraps it
 * already), so the calling client is still authenticated first.
 */
public final class PortalIntrospectionBoundary implements AuthenticationProvider {

    private final AuthenticationProvider delegate;
    private final PortalRegistry portals;

    public PortalIntrospectionBoundary(AuthenticationProvider delegate, PortalRegistry portals) {
        this.delegate = delegate;
        this.portals = portals;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        Authentication result = delegate.authenticate(authentication);
        if (result instanceof OAuth2TokenIntrospectionAuthenticationToken introspection
                && introspection.getTokenClaims().isActive()
                && introspection.getPrincipal() instanceof OAuth2ClientAuthenticationToken caller
                && !allowed(caller.getRegisteredClient().getClientId(), introspection.getTokenClaims().getClientId())) {
            return new OAuth2TokenIntrospectionAuthenticationToken(introspection.getToken(), caller,
                    OAuth2TokenIntrospection.builder().build());
        }
        return result;
    }

    private boolean allowed(String caller, String owner) {
        if (caller.equals(owner)) {
            return true;
        }
        // A token whose portal is no longer registered is nobody else's business either.
        return owner != null && portals.portal(owner).map(PortalConfig::introspectionClients)
                .filter(clients -> clients.contains(caller)).isPresent();
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }
}

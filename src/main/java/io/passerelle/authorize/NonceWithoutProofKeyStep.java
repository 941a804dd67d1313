package io.passerelle.authorize;

import java.util.function.Consumer;

import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;

/**
 * RFC 9700 2.1.1: a confidential portal may go without PKCE ({@code pkce: optional} in its file) only
 * if it uses the OpenID Connect {@code nonce} instead, which binds the ID token to the browser's
 * request as the code verifier would bind the code. So a request without {@code code_challenge} must
 * be an OpenID request with a {@code nonce}.
 */
final class NonceWithoutProofKeyStep implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        if (AuthorizeStep.parameter(context, PkceParameterNames.CODE_CHALLENGE) != null) {
            return;
        }
        if (!AuthorizeStep.request(context).getScopes().contains(OidcScopes.OPENID)
                || AuthorizeStep.parameter(context, OidcParameterNames.NONCE) == null) {
            throw AuthorizeStep.refuse(OAuth2ErrorCodes.INVALID_REQUEST,
                    "nonce is required when the request has no code_challenge", null, context);
        }
    }
}

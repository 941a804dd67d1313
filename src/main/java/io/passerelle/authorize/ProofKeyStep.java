package io.passerelle.authorize;

import java.util.function.Consumer;

import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;

/**
 * PKCE (RFC 7636 4.3, 4.4.1; RFC 9700 2.1.1): a {@code code_challenge} is required of every portal whose
 * file keeps the default {@code pkce: required} (always of public portals); when one is sent, its
 * method must be {@code S256} ({@code plain} protects nothing once the request leaks). Checked here,
 * before the citizen is sent to sign in, rather than by the server after the sign-in.
 */
final class ProofKeyStep implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    static final String PKCE_ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc7636#section-4.4.1";

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        String challenge = AuthorizeStep.parameter(context, PkceParameterNames.CODE_CHALLENGE);
        String method = AuthorizeStep.parameter(context, PkceParameterNames.CODE_CHALLENGE_METHOD);
        if (challenge == null) {
            if (context.getRegisteredClient().getClientSettings().isRequireProofKey()) {
                throw AuthorizeStep.refuse(OAuth2ErrorCodes.INVALID_REQUEST, "code_challenge is required (PKCE, S256)",
                        PKCE_ERROR_URI, context);
            }
            if (method != null) {
                throw AuthorizeStep.refuse(OAuth2ErrorCodes.INVALID_REQUEST,
                        "code_challenge_method without code_challenge", PKCE_ERROR_URI, context);
            }
            return;
        }
        if (!"S256".equals(method)) {
            throw AuthorizeStep.refuse(OAuth2ErrorCodes.INVALID_REQUEST, "code_challenge_method must be S256",
                    PKCE_ERROR_URI, context);
        }
        // RFC 7636 4.2: the S256 challenge is BASE64URL(SHA-256(verifier)), 43 characters.
        if (!challenge.matches("[A-Za-z0-9_-]{43}")) {
            throw AuthorizeStep.refuse(OAuth2ErrorCodes.INVALID_REQUEST, "code_challenge is not an S256 challenge",
                    PKCE_ERROR_URI, context);
        }
    }
}

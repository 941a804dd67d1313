package io.passerelle.connector;

import java.net.URI;

/**
 * What the broker tells a connector about one login. All values are the broker's: generated per
 * login, stored server-side, and used once.
 *
 * @param state        the opaque value that ties the upstream callback to this login (RFC 6749 10.12)
 * @param nonce        the value the upstream ID token must echo (OIDC Core 3.1.2.1)
 * @param codeVerifier the PKCE verifier (RFC 7636); the connector sends its S256 challenge
 * @param callbackUri  where the upstream provider must send the browser back
 * @param requiredLoa  the lowest level of assurance that satisfies the portal and its request
 * @param uiLocale     the citizen's language (fr, nl, de or en)
 * @param loginHint    a login hint from the portal, or null
 */
public record LoginContext(String state, String nonce, String codeVerifier, URI callbackUri, Loa requiredLoa,
                           String uiLocale, String loginHint) {
}

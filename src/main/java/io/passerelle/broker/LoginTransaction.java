package io.passerelle.broker;

import java.time.Instant;

import io.passerelle.connector.Loa;

/**
 * One login in flight, stored server-side by the broker: everything needed to check the upstream
 * answer and to resume the portal's request. Used once.
 *
 * @param state          the value sent upstream and expected back on the callback (the key)
 * @param connectorId    the connector the citizen chose
 * @param clientId       the portal that asked
 * @param nonce          sent upstream, expected in the upstream ID token
 * @param codeVerifier   the PKCE verifier for the upstream token request
 * @param requiredLoa    the lowest level that satisfies the portal
 * @param resumeUrl      the portal's authorization request, to resume after sign-in
 * @param uiLocale       the citizen's language
 * @param browserBinding a hash of a random value kept in the browser session: the callback must come
 *                       back to the browser that started the login (login CSRF defence)
 * @param createdAt      when the citizen left for the provider
 * @param expiresAt      after this the callback is refused
 */
public record LoginTransaction(String state, String connectorId, String clientId, String nonce, String codeVerifier,
                               Loa requiredLoa, String resumeUrl, String uiLocale, String browserBinding,
                               Instant createdAt, Instant expiresAt) {
}

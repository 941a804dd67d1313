package io.passerelle.portal;

/**
 * What the database holds for one portal: what {@code portals remove} deletes (or, in a dry run, would).
 *
 * @param clientId         the portal
 * @param authorizations   rows of {@code oauth2_authorization}: codes, access, refresh and ID tokens issued to it
 * @param serverConsents   rows of {@code oauth2_authorization_consent} (the authorization server's own consent
 *                         table; Passerelle asks on its own consent page, so normally none)
 * @param consentDecisions rows of {@code consent}: citizens' decisions for the portal (package consent's ledger)
 * @param sessionPortals   rows of {@code session_portal}: browser sessions that signed in to it (back-channel logout)
 * @param registeredClient 1 when its row of {@code oauth2_registered_client} is stored, else 0
 */
public record StoredPortalData(String clientId, int authorizations, int serverConsents, int consentDecisions,
                               int sessionPortals, int registeredClient) {

    /** Nothing stored: the portal is unknown to the database. */
    public boolean isEmpty() {
        return authorizations + serverConsents + consentDecisions + sessionPortals + registeredClient == 0;
    }
}

package io.passerelle.consent;

/** The issuer's side of withdrawing consent: every grant a portal holds for a citizen ends at once. */
public interface PortalGrants {

    /**
     * Ends every authorization (codes, access and refresh tokens) of {@code clientId} for the citizen:
     * refresh fails, and introspection and userinfo treat the access tokens as inactive.
     *
     * @return how many authorizations ended
     */
    int revokeAll(String clientId, String citizenId);
}

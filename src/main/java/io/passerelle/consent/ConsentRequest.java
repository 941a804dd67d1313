package io.passerelle.consent;

import java.time.Instant;
import java.util.List;

/**
 * A question on the consent page: which citizen, which portal, which claims, and the portal's request
 * to resume once answered. It is kept in the login's record (broker {@code LoginTransaction}), which
 * takes its answer once, so a replayed decision finds nothing.
 *
 * @param id          random; the form echoes it, so a page left open in another tab cannot answer a newer question
 * @param claims      the requested claims, Passerelle names, in display order (qualifiers such as {@code email_verified} included)
 * @param resumeUrl   the authorization request to resume, relative to the issuer
 * @param redirectUri the portal's validated redirect URI, for {@code access_denied}
 * @param state       the portal's state, echoed with {@code access_denied}
 */
public record ConsentRequest(String id, String citizenId, String clientId, List<String> claims, String resumeUrl,
                             String redirectUri, String state, Instant expiresAt) {

    public ConsentRequest {
        claims = List.copyOf(claims);
    }

    /**
     * Why {@code citizenId} may not answer this question at {@code now}, or null: it was asked to
     * another citizen (or the browser's sign-in changed since), or it waited too long.
     */
    public String refusalFor(String citizenId, java.time.Instant now) {
        if (citizenId == null || !citizenId.equals(this.citizenId)) {
            return "other-citizen";
        }
        if (!now.isBefore(expiresAt)) {
            return "expired";
        }
        return null;
    }
}

package io.passerelle.consent;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * A question waiting on the consent page, kept in the browser session: which citizen, which portal,
 * which claims, and the portal's request to resume once answered. Answered once: the first POST
 * removes it, so a replayed decision finds nothing.
 *
 * @param id          random; the form echoes it, so a page left open in another tab cannot answer a newer question
 * @param claims      the requested claims, Passerelle names, in display order (qualifiers such as {@code email_verified} included)
 * @param resumeUrl   the authorization request to resume, relative to the issuer (null until the endpoint's
 *                    error handler sets it: see {@link ConsentPolicy#resumeWith})
 * @param redirectUri the portal's validated redirect URI, for {@code access_denied}
 * @param state       the portal's state, echoed with {@code access_denied}
 */
public record ConsentRequest(String id, String citizenId, String clientId, List<String> claims, String resumeUrl,
                             String redirectUri, String state, Instant expiresAt) implements Serializable {

    /** Session attribute holding the question waiting for an answer. */
    public static final String SESSION_ATTRIBUTE = "passerelle.consent-request";
    /** Session attribute: the portal the citizen has just answered for (so {@code prompt=consent} asks only once). */
    public static final String ANSWERED_FOR = "passerelle.consent-answered-for";

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

    /** The same question, resuming at {@code url} once answered. */
    public ConsentRequest resumingAt(String url) {
        return new ConsentRequest(id, citizenId, clientId, claims, url, redirectUri, state, expiresAt);
    }
}

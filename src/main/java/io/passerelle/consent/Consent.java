package io.passerelle.consent;

import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * A citizen's decision for one portal: which of the requested claims it may receive and which the
 * citizen refused, until when. A portal that asks for a claim the citizen has not decided on (it
 * added a scope, or the citizen now signs in with a key that proves more) is asked again; so is every
 * portal once the decision expires.
 *
 * @param granted claim names (Passerelle's vocabulary, not a portal's aliases) the portal may receive
 * @param refused claim names the citizen declined
 */
public record Consent(String citizenId, String clientId, Set<String> granted, Set<String> refused,
                      Instant grantedAt, Instant expiresAt) {

    public Consent {
        Objects.requireNonNull(citizenId, "citizenId");
        Objects.requireNonNull(clientId, "clientId");
        granted = Set.copyOf(granted);
        refused = Set.copyOf(refused);
        Objects.requireNonNull(grantedAt, "grantedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether this decision still answers a request for {@code requested} claims at {@code now}. */
    public boolean covers(Collection<String> requested, Instant now) {
        if (!now.isBefore(expiresAt)) {
            return false;
        }
        for (String claim : requested) {
            String decided = ClaimRelease.decidedWith(claim);
            if (!granted.contains(decided) && !refused.contains(decided)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the portal may receive {@code claim} (a qualifier such as {@code email_verified} goes with its claim). */
    public boolean grants(String claim) {
        return granted.contains(ClaimRelease.decidedWith(claim));
    }
}

package io.passerelle.consent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * That a portal received claims of a citizen, when and at which level: the citizen's account page
 * lists these. Names only; the values are never stored.
 *
 * @param loa the eIDAS level name of the sign-in (low, substantial, high)
 */
public record DataRelease(String citizenId, String clientId, List<String> claims, String loa, Instant releasedAt) {

    public DataRelease {
        Objects.requireNonNull(citizenId, "citizenId");
        Objects.requireNonNull(clientId, "clientId");
        claims = List.copyOf(claims);
        Objects.requireNonNull(loa, "loa");
        Objects.requireNonNull(releasedAt, "releasedAt");
    }
}

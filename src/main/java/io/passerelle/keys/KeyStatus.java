package io.passerelle.keys;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One key as the security team sees it (admin API, CLI): its state, its dates, and the dates the policy
 * plans for it. Never key material.
 *
 * @param kid         the key id, as in the JWKS and in token headers
 * @param alg         {@code RS256}, {@code PS256}, {@code ES256} or {@code RSA-OAEP-256}
 * @param use         {@code sig} or {@code enc}
 * @param state       {@code next}, {@code active}, {@code retired} or {@code revoked}
 * @param createdAt   when it was generated (and, for a NEXT key, published)
 * @param activatedAt when it started signing, or null
 * @param activatesAt for a NEXT key: the earliest moment it signs (published long enough, and the active
 *                    key's period over); null otherwise
 * @param rotatesAt   for the ACTIVE key: when its period ends (early if an operator asked); null otherwise
 * @param retiredAt   when it stopped signing (retired) or was revoked, or null
 * @param removeAt    for a RETIRED key: when it leaves the JWKS; null otherwise
 * @param published   whether it is in the JWKS
 */
public record KeyStatus(String kid, String alg, String use, String state, Instant createdAt,
                        @Nullable Instant activatedAt, @Nullable Instant activatesAt, @Nullable Instant rotatesAt,
                        @Nullable Instant retiredAt, @Nullable Instant removeAt, boolean published) {
}

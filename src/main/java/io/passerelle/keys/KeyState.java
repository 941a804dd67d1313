package io.passerelle.keys;

import java.util.Locale;
import java.util.Set;

/**
 * Where a key is in its life: next -> active -> retired -> removed (the row is deleted), and revoked
 * from any live state. Stored lower-case in {@code signing_key.state}.
 */
public enum KeyState {
    /** Published in the JWKS ahead of use, so relying parties have cached it before the first signature. */
    NEXT,
    /** The one key per algorithm that signs (or that upstreams encrypt to). */
    ACTIVE,
    /** No longer used to sign; still published (or usable to decrypt) until tokens made with it expire. */
    RETIRED,
    /** Compromised or withdrawn: never published, never used, kept only as a record. */
    REVOKED;

    /** The database spelling. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static KeyState fromDbValue(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /**
     * The states a key may be in to move to this one. Nothing moves to NEXT: a NEXT key is inserted.
     * The repository checks this in the same UPDATE as the version, so no illegal move is ever written.
     */
    public Set<KeyState> predecessors() {
        return switch (this) {
            case NEXT -> Set.of();
            case ACTIVE -> Set.of(NEXT);
            case RETIRED -> Set.of(ACTIVE);
            case REVOKED -> Set.of(NEXT, ACTIVE, RETIRED);
        };
    }
}

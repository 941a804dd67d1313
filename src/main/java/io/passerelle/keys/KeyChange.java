package io.passerelle.keys;

/**
 * One thing that happened to one key during a rotation step or an operator action, as reported to the
 * admin API and the CLI (the audit trail has the same facts with actor and reason).
 *
 * @param action what happened to the key
 * @param kid    the key
 * @param alg    its algorithm ({@code RS256}, {@code RSA-OAEP-256}...)
 */
public record KeyChange(Action action, String kid, String alg) {

    public enum Action {
        /** Inserted as NEXT: published in the JWKS, not yet signing. */
        PUBLISHED,
        /** Became the ACTIVE key of its algorithm. */
        ACTIVATED,
        /** Stopped signing; still published until its tokens have expired. */
        RETIRED,
        /** Its period was ended early by an operator: its successor takes over once published long enough. */
        ROTATION_REQUESTED,
        /** Left the JWKS for good at the end of its keep time (the row was deleted). */
        REMOVED,
        /** Revoked: left the JWKS at once. */
        REVOKED
    }

    static KeyChange of(Action action, StoredKey key) {
        return new KeyChange(action, key.kid(), key.algorithm().id());
    }
}

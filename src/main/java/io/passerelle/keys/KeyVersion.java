package io.passerelle.keys;

/**
 * What identifies the content of one {@code signing_key} row without its key material: every update bumps
 * {@code version}, and a new or deleted row changes the list of them. Comparing two lists of these tells a
 * node whether the table changed since its snapshot, at the cost of reading three short columns.
 *
 * @param kid     the key
 * @param state   its state (a revoked key can be taken out of use before the full reload)
 * @param version the row's compare-and-swap version
 */
record KeyVersion(String kid, KeyState state, int version) {

    static KeyVersion of(StoredKey row) {
        return new KeyVersion(row.kid(), row.state(), row.version());
    }
}

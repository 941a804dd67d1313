package io.passerelle.keys;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What an emergency revocation did.
 *
 * @param kid           the revoked key
 * @param alg           its algorithm
 * @param previousState its state before ({@code revoked} when it already was: nothing changed)
 * @param changed       false when the key was already revoked (repeating a revocation is not an error)
 * @param activeKid     the key that now signs for {@code alg} (the promoted successor or a new key when the
 *                      revoked key was the active one); null only when the wait for the successor's
 *                      publication was interrupted (the scheduler activates it)
 * @param changes       every key change made, in order
 */
public record KeyRevocation(String kid, String alg, String previousState, boolean changed,
                            @Nullable String activeKid, List<KeyChange> changes) {
}

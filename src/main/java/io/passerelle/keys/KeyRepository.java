package io.passerelle.keys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Storage of the key ring ({@code signing_key}). Rows change only by compare-and-swap on their version,
 * so nodes of a cluster sharing the table never overwrite each other's decisions: a {@code false} answer
 * means "someone changed this row since you read it, or the move is not allowed from its current state";
 * re-read and decide again.
 */
public interface KeyRepository {

    /** Every row, revoked ones included, oldest first (then by kid, for a stable order). */
    List<StoredKey> findAll();

    /**
     * kid, state and version of every row, in {@link #findAll()}'s order: what each node polls to learn
     * whether the table changed, without reading (let alone decrypting) key material. The default reads
     * whole rows; the JDBC repository reads only those three columns.
     */
    default List<KeyVersion> versions() {
        return findAll().stream().map(KeyVersion::of).toList();
    }

    /** The row of one kid, whatever its state. */
    Optional<StoredKey> find(String kid);

    /** True when the table holds no row at all, revoked ones included. */
    boolean isEmpty();

    /**
     * Stores a new row as given.
     *
     * @throws org.springframework.dao.DuplicateKeyException when the kid exists, or when the row is
     *         active (or next) and its algorithm already has an active (or next) key: at most one of each
     *         per algorithm is guaranteed by the database
     */
    void insert(StoredKey key);

    /**
     * Moves a key to {@code newState} if its version is still {@code expectedVersion} and its current
     * state is one of {@link KeyState#predecessors() newState's predecessors}; the version is then
     * incremented. The three timestamps become exactly the values given (pass the row's current ones to
     * keep them). To rotate, retire the old active key before activating the next one, in one
     * transaction: activating while another key of the algorithm is active throws DuplicateKeyException.
     *
     * @return true if the row was changed
     * @throws IllegalArgumentException for {@link KeyState#NEXT}, which no key moves to
     */
    boolean updateState(String kid, int expectedVersion, KeyState newState,
                        @Nullable Instant activatedAt, @Nullable Instant retireAt, @Nullable Instant retiredAt);

    /**
     * Sets the {@code retire_at} of an ACTIVE key (an operator asked to end its period early) if its version
     * is still {@code expectedVersion}; the version is then incremented.
     *
     * @return true if the row was changed
     */
    boolean requestRetirement(String kid, int expectedVersion, Instant retireAt);

    /**
     * Removes a retired or revoked key (the end of its life) if its version is still
     * {@code expectedVersion}.
     *
     * @return true if the row was deleted
     */
    boolean delete(String kid, int expectedVersion);
}

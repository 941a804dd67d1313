package io.passerelle.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Types;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What every {@link KeyRepository} must do, run against each database by a subclass. The repository
 * treats the JWK columns as opaque text, so the fixtures need no real keys.
 */
abstract class KeyRepositoryContract {

    private static final Instant T0 = Instant.parse("2026-01-15T08:30:00Z");
    private static final Instant T1 = Instant.parse("2026-02-15T08:30:00.123456Z");
    private static final Instant T2 = Instant.parse("2026-05-15T08:30:00Z");

    private KeyRepository repository;
    private JdbcClient jdbc;

    /** A fresh, migrated, empty database. */
    protected abstract DataSource freshDatabase();

    @BeforeEach
    void setUp() {
        jdbc = JdbcClient.create(freshDatabase());
        repository = new JdbcKeyRepository(jdbc);
    }

    @Test
    void aFreshTableIsEmpty() {
        assertThat(repository.isEmpty()).isTrue();
        assertThat(repository.findAll()).isEmpty();
    }

    @Test
    void anInsertedRowReadsBackIdentically() {
        // A sealed RSA JWK is several kilobytes: the text columns must take it whole.
        StoredKey key = new StoredKey("kid-1", KeyAlgorithm.RSA_OAEP_256, KeyState.ACTIVE, "{\"kty\":\"RSA\"}",
                "A".repeat(12_000), T0, T1, T2, null, 0);
        repository.insert(key);

        assertThat(repository.isEmpty()).isFalse();
        assertThat(repository.findAll()).containsExactly(key);
    }

    @Test
    void rowsComeOldestFirstThenByKid() {
        repository.insert(key("c", KeyAlgorithm.ES256, KeyState.RETIRED, T1));
        repository.insert(key("b", KeyAlgorithm.RS256, KeyState.ACTIVE, T1));
        repository.insert(key("a", KeyAlgorithm.PS256, KeyState.NEXT, T2));
        repository.insert(key("z", KeyAlgorithm.ES256, KeyState.ACTIVE, T0));

        assertThat(repository.findAll()).extracting(StoredKey::kid).containsExactly("z", "b", "c", "a");
    }

    @Test
    void versionsAreKidStateAndVersionOfEveryRowInTheOrderOfFindAllAndFollowEveryChange() {
        repository.insert(key("c", KeyAlgorithm.ES256, KeyState.RETIRED, T1));
        repository.insert(key("b", KeyAlgorithm.RS256, KeyState.ACTIVE, T1));
        repository.insert(key("a", KeyAlgorithm.PS256, KeyState.NEXT, T2));
        assertThat(repository.updateState("b", 0, KeyState.REVOKED, T1, null, T2)).isTrue();
        assertThat(repository.delete("c", 0)).isTrue();

        assertThat(repository.versions()).containsExactly(new KeyVersion("b", KeyState.REVOKED, 1),
                new KeyVersion("a", KeyState.NEXT, 0));
        assertThat(repository.versions()).isEqualTo(repository.findAll().stream().map(KeyVersion::of).toList());
    }

    @Test
    void aDuplicateKidIsRefused() {
        repository.insert(key("kid-1", KeyAlgorithm.RS256, KeyState.NEXT, T0));

        assertThatThrownBy(() -> repository.insert(key("kid-1", KeyAlgorithm.ES256, KeyState.NEXT, T1)))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void theDatabaseAllowsOneActiveKeyPerAlgorithm() {
        repository.insert(key("rs-1", KeyAlgorithm.RS256, KeyState.ACTIVE, T0));
        repository.insert(key("ps-1", KeyAlgorithm.PS256, KeyState.ACTIVE, T0));
        // Any number of keys of the same algorithm in the other states.
        repository.insert(key("rs-2", KeyAlgorithm.RS256, KeyState.NEXT, T0));
        repository.insert(key("rs-3", KeyAlgorithm.RS256, KeyState.RETIRED, T0));
        repository.insert(key("rs-4", KeyAlgorithm.RS256, KeyState.RETIRED, T0));
        repository.insert(key("rs-5", KeyAlgorithm.RS256, KeyState.REVOKED, T0));

        assertThatThrownBy(() -> repository.insert(key("rs-6", KeyAlgorithm.RS256, KeyState.ACTIVE, T1)))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(repository.findAll()).hasSize(6);
    }

    @Test
    void theDatabaseAllowsOneNextKeyPerAlgorithmAndFreesTheSlotWhenItMoves() {
        repository.insert(key("rs-next", KeyAlgorithm.RS256, KeyState.NEXT, T0));
        repository.insert(key("ps-next", KeyAlgorithm.PS256, KeyState.NEXT, T0));

        // Two nodes publishing a successor at the same tick: the second insert loses.
        assertThatThrownBy(() -> repository.insert(key("rs-next-2", KeyAlgorithm.RS256, KeyState.NEXT, T1)))
                .isInstanceOf(DuplicateKeyException.class);

        assertThat(repository.updateState("rs-next", 0, KeyState.ACTIVE, T1, null, null)).isTrue();
        repository.insert(key("rs-next-2", KeyAlgorithm.RS256, KeyState.NEXT, T1));
        assertThat(repository.updateState("ps-next", 0, KeyState.REVOKED, null, null, T1)).isTrue();
        repository.insert(key("ps-next-2", KeyAlgorithm.PS256, KeyState.NEXT, T1));
        assertThat(repository.findAll()).hasSize(4);
    }

    @Test
    void findReadsOneRowWhateverItsState() {
        repository.insert(key("revoked", KeyAlgorithm.ES256, KeyState.REVOKED, T0));

        assertThat(repository.find("revoked")).hasValueSatisfying(row -> {
            assertThat(row.state()).isEqualTo(KeyState.REVOKED);
            assertThat(row.retiredAt()).isEqualTo(T0);
        });
        assertThat(repository.find("unknown")).isEmpty();
    }

    @Test
    void requestRetirementSetsRetireAtOfAnActiveKeyAtItsVersionOnly() {
        repository.insert(key("active", KeyAlgorithm.RS256, KeyState.ACTIVE, T0));
        repository.insert(key("next", KeyAlgorithm.RS256, KeyState.NEXT, T0));

        assertThat(repository.requestRetirement("next", 0, T1)).as("not active").isFalse();
        assertThat(repository.requestRetirement("active", 1, T1)).as("stale version").isFalse();
        assertThat(repository.requestRetirement("active", 0, T1)).isTrue();

        assertThat(repository.find("active")).hasValueSatisfying(row -> {
            assertThat(row.retireAt()).isEqualTo(T1);
            assertThat(row.state()).isEqualTo(KeyState.ACTIVE);
            assertThat(row.version()).isEqualTo(1);
        });
        assertThat(repository.find("next").orElseThrow().retireAt()).isNull();
    }

    @Test
    void updateStateMovesTheRowSetsItsTimestampsAndBumpsTheVersion() {
        repository.insert(key("kid-1", KeyAlgorithm.ES256, KeyState.NEXT, T0));

        assertThat(repository.updateState("kid-1", 0, KeyState.ACTIVE, T1, T2, null)).isTrue();

        StoredKey moved = only();
        assertThat(moved.state()).isEqualTo(KeyState.ACTIVE);
        assertThat(moved.activatedAt()).isEqualTo(T1);
        assertThat(moved.retireAt()).isEqualTo(T2);
        assertThat(moved.retiredAt()).isNull();
        assertThat(moved.version()).isEqualTo(1);
        assertThat(moved.createdAt()).isEqualTo(T0);

        assertThat(repository.updateState("kid-1", 1, KeyState.RETIRED, T1, null, T2)).isTrue();
        assertThat(only()).extracting(StoredKey::state, StoredKey::retireAt, StoredKey::retiredAt, StoredKey::version)
                .containsExactly(KeyState.RETIRED, null, T2, 2);
    }

    @Test
    void aStaleVersionChangesNothing() {
        repository.insert(key("kid-1", KeyAlgorithm.ES256, KeyState.NEXT, T0));
        assertThat(repository.updateState("kid-1", 0, KeyState.ACTIVE, T1, null, null)).isTrue();
        StoredKey before = only();

        // Another node read version 0 too and now tries to act on it.
        assertThat(repository.updateState("kid-1", 0, KeyState.REVOKED, T1, null, T2)).isFalse();
        assertThat(only()).isEqualTo(before);
    }

    @Test
    void aMoveTheStateMachineForbidsChangesNothing() {
        repository.insert(key("retired", KeyAlgorithm.RS256, KeyState.RETIRED, T0));
        repository.insert(key("revoked", KeyAlgorithm.PS256, KeyState.REVOKED, T0));
        repository.insert(key("next", KeyAlgorithm.ES256, KeyState.NEXT, T0));
        List<StoredKey> before = repository.findAll();

        assertThat(repository.updateState("retired", 0, KeyState.ACTIVE, T1, null, null)).isFalse();
        assertThat(repository.updateState("revoked", 0, KeyState.RETIRED, T1, null, T1)).isFalse();
        assertThat(repository.updateState("next", 0, KeyState.RETIRED, T1, null, T1)).isFalse();
        assertThat(repository.updateState("unknown", 0, KeyState.REVOKED, T1, null, T1)).isFalse();
        assertThatThrownBy(() -> repository.updateState("retired", 0, KeyState.NEXT, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(repository.findAll()).isEqualTo(before);
    }

    @Test
    void rotationRetiresTheOldKeyBeforeActivatingTheNext() {
        repository.insert(key("old", KeyAlgorithm.RS256, KeyState.ACTIVE, T0));
        repository.insert(key("new", KeyAlgorithm.RS256, KeyState.NEXT, T0));

        assertThatThrownBy(() -> repository.updateState("new", 0, KeyState.ACTIVE, T1, null, null))
                .isInstanceOf(DuplicateKeyException.class);

        assertThat(repository.updateState("old", 0, KeyState.RETIRED, T0, null, T1)).isTrue();
        assertThat(repository.updateState("new", 0, KeyState.ACTIVE, T1, null, null)).isTrue();
        assertThat(repository.findAll()).extracting(StoredKey::kid, StoredKey::state)
                .containsExactlyInAnyOrder(
                        tuple("old", KeyState.RETIRED),
                        tuple("new", KeyState.ACTIVE));
    }

    @Test
    void anyLiveKeyCanBeRevoked() {
        repository.insert(key("next", KeyAlgorithm.RS256, KeyState.NEXT, T0));
        repository.insert(key("active", KeyAlgorithm.RS256, KeyState.ACTIVE, T0));
        repository.insert(key("retired", KeyAlgorithm.RS256, KeyState.RETIRED, T0));

        for (String kid : List.of("next", "active", "retired")) {
            assertThat(repository.updateState(kid, 0, KeyState.REVOKED, null, null, T1)).as(kid).isTrue();
        }
        assertThat(repository.findAll()).extracting(StoredKey::state).containsOnly(KeyState.REVOKED);
        // A revoked key frees its algorithm's active slot.
        repository.insert(key("active-2", KeyAlgorithm.RS256, KeyState.ACTIVE, T1));
    }

    @Test
    void onlyRetiredOrRevokedKeysAreDeletedAndOnlyAtTheirVersion() {
        repository.insert(key("active", KeyAlgorithm.RS256, KeyState.ACTIVE, T0));
        repository.insert(key("next", KeyAlgorithm.RS256, KeyState.NEXT, T0));
        repository.insert(key("retired", KeyAlgorithm.RS256, KeyState.RETIRED, T0));
        repository.insert(key("revoked", KeyAlgorithm.ES256, KeyState.REVOKED, T0));

        assertThat(repository.delete("active", 0)).isFalse();
        assertThat(repository.delete("next", 0)).isFalse();
        assertThat(repository.delete("retired", 1)).isFalse();
        assertThat(repository.delete("retired", 0)).isTrue();
        assertThat(repository.delete("revoked", 0)).isTrue();
        assertThat(repository.findAll()).extracting(StoredKey::kid).containsExactly("active", "next");
    }

    @Test
    void theTableRefusesRowsOutsideTheStateMachine() {
        // Checked on a connection other than the one that created the table (H2 2.4.240 once failed that).
        String insert = "INSERT INTO signing_key (kid, alg, key_use, state, active_alg, public_jwk, private_key,"
                + " created_at) VALUES (:kid, :alg, :use, :state, :activeAlg, '{}', 'x', CURRENT_TIMESTAMP)";
        assertThatThrownBy(() -> jdbc.sql(insert).param("kid", "k1").param("alg", "RS256").param("use", "enc")
                .param("state", "next").param("activeAlg", null, Types.VARCHAR).update())
                .as("RS256 is a signing algorithm").isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.sql(insert).param("kid", "k2").param("alg", "HS256").param("use", "sig")
                .param("state", "next").param("activeAlg", null, Types.VARCHAR).update())
                .as("unknown algorithm").isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.sql(insert).param("kid", "k3").param("alg", "ES256").param("use", "sig")
                .param("state", "lost").param("activeAlg", null, Types.VARCHAR).update())
                .as("unknown state").isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.sql(insert).param("kid", "k4").param("alg", "ES256").param("use", "sig")
                .param("state", "active").param("activeAlg", null, Types.VARCHAR).update())
                .as("an active key takes its algorithm's slot").isInstanceOf(DataIntegrityViolationException.class);
        jdbc.sql(insert).param("kid", "k5").param("alg", "RSA-OAEP-256").param("use", "enc")
                .param("state", "active").param("activeAlg", "RSA-OAEP-256").update();
        assertThat(repository.findAll()).extracting(StoredKey::kid).containsExactly("k5");
    }

    private StoredKey only() {
        List<StoredKey> all = repository.findAll();
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    private static StoredKey key(String kid, KeyAlgorithm algorithm, KeyState state, Instant createdAt) {
        Instant activatedAt = state == KeyState.NEXT ? null : createdAt;
        Instant retiredAt = state == KeyState.RETIRED || state == KeyState.REVOKED ? createdAt : null;
        return new StoredKey(kid, algorithm, state, "{\"kid\":\"" + kid + "\"}", "sealed-" + kid,
                createdAt, activatedAt, null, retiredAt, 0);
    }
}

package io.passerelle.keys;

import io.passerelle.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.passerelle.audit.AuditEvent;
import io.passerelle.keys.KeyChange.Action;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway nodes, each with its own connections, key ring and rotation, on ONE database, acting at the
 * same moment: a step happens exactly once, the loser is not in error, and both end up publishing the
 * same JWKS. A barrier holds each node's first write until both have read the table, so the two really
 * decide on the same rows and race for the same write.
 */
abstract class ConcurrentRotationContract {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final KeyPolicy POLICY = RingNode.POLICY;
    private static final int ROUNDS = 3;

    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private MutableClock clock;
    /** Null outside {@link #together}: opening the rings and checking results write and read alone. */
    private volatile @Nullable CyclicBarrier barrier;
    private RingNode a;
    private RingNode b;

    /** A DataSource factory for one fresh, migrated database: each call a new DataSource on it (a node). */
    protected abstract Supplier<DataSource> freshDatabase();

    @BeforeEach
    void setUp() {
        clock = new MutableClock(T0);
        Supplier<DataSource> database = freshDatabase();
        MasterKey masterKey = MasterKeyTest.randomKey();
        a = node(database.get(), masterKey);
        b = node(database.get(), masterKey);
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    @Test
    void twoNodesTickingTogetherPublishAndRotateExactlyOnce() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            List<StoredKey> before = a.repository.findAll();
            Instant periodEnd = T0.plus(POLICY.rotationPeriod().multipliedBy(round));

            clock.set(periodEnd.minus(POLICY.publishLead()));
            List<KeyChange> changes = together(a.rotation::runSchedule, b.rotation::runSchedule);
            List<KeyChange> published = changes.stream().filter(change -> change.action() == Action.PUBLISHED).toList();
            assertThat(published).extracting(KeyChange::alg).as("round %d", round)
                    .containsExactlyInAnyOrder("RS256", "PS256", "ES256", "RSA-OAEP-256");
            // From the second round on, the keys retired by the previous round are past their keep time.
            assertThat(changes).filteredOn(change -> change.action() == Action.REMOVED).extracting(KeyChange::kid)
                    .containsExactlyInAnyOrderElementsOf(retired(before));

            clock.set(periodEnd);
            List<KeyChange> rotated = together(a.rotation::runSchedule, b.rotation::runSchedule);
            assertThat(rotated).filteredOn(change -> change.action() == Action.ACTIVATED).extracting(KeyChange::kid)
                    .as("round %d", round).containsExactlyInAnyOrderElementsOf(kids(published));
            assertThat(rotated).filteredOn(change -> change.action() == Action.RETIRED).extracting(KeyChange::kid)
                    .containsExactlyInAnyOrderElementsOf(active(before));
            assertOneActivePerAlgorithmAndTheSameJwksOnBothNodes();
        }
        assertThat(a.audit.since(T0, 1000)).filteredOn(e -> "activated".equals(e.details().get("action")))
                .extracting(AuditEvent::actor).hasSize(4 * ROUNDS);
    }

    @Test
    void aRevocationRacingARotationLeavesOneActiveKeyAndTheRevokedKeyOut() throws Exception {
        clock.set(T0.plus(POLICY.rotationPeriod()).minus(POLICY.publishLead()));
        a.rotation.runSchedule();
        b.ring.reload();
        String compromised = a.signingKid(KeyAlgorithm.RS256);
        clock.set(T0.plus(POLICY.rotationPeriod()));

        together(() -> a.rotation.revoke(compromised, "admin:security-team", "leaked").changes(),
                b.rotation::runSchedule);

        assertOneActivePerAlgorithmAndTheSameJwksOnBothNodes();
        assertThat(a.repository.find(compromised).orElseThrow().state()).isEqualTo(KeyState.REVOKED);
        assertThat(a.publishedKids()).doesNotContain(compromised);
        assertThat(a.signingKid(KeyAlgorithm.RS256)).isNotEqualTo(compromised);
    }

    @Test
    void twoNodesRevokingTheSameKeyRevokeItOnceAndActivateOneReplacement() throws Exception {
        String compromised = a.signingKid(KeyAlgorithm.ES256);

        List<KeyChange> changes = together(() -> a.rotation.revoke(compromised, "admin:alice", "leak").changes(),
                () -> b.rotation.revoke(compromised, "cli:bob", "leak").changes());

        // One node revoked it and published a successor; it activated it once every node could have read it.
        assertThat(changes).extracting(KeyChange::action).containsExactly(Action.REVOKED, Action.PUBLISHED, Action.ACTIVATED);
        assertOneActivePerAlgorithmAndTheSameJwksOnBothNodes();
    }

    private void assertOneActivePerAlgorithmAndTheSameJwksOnBothNodes() {
        b.ring.reload();
        a.ring.reload();
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            assertThat(a.repository.findAll()).filteredOn(row -> row.algorithm() == algorithm && row.state() == KeyState.ACTIVE)
                    .hasSize(1);
            assertThat(b.signingKid(algorithm)).isEqualTo(a.signingKid(algorithm));
        }
        assertThat(b.ring.publicJwks().toJSONObject()).isEqualTo(a.ring.publicJwks().toJSONObject());
    }

    /** Runs both at once, each node's first write held until both are there; returns both nodes' changes. */
    private List<KeyChange> together(Callable<List<KeyChange>> first, Callable<List<KeyChange>> second) throws Exception {
        barrier = new CyclicBarrier(2);
        try {
            Future<List<KeyChange>> one = threads.submit(first);
            Future<List<KeyChange>> two = threads.submit(second);
            List<KeyChange> all = new ArrayList<>(one.get(60, TimeUnit.SECONDS));
            all.addAll(two.get(60, TimeUnit.SECONDS));
            return all;
        } finally {
            barrier = null;
        }
    }

    private RingNode node(DataSource dataSource, MasterKey masterKey) {
        return new RingNode(dataSource, masterKey, clock, POLICY, repository -> new FirstWriteWaits(repository, () -> barrier));
    }

    private static List<String> kids(List<KeyChange> changes) {
        return changes.stream().map(KeyChange::kid).toList();
    }

    private static List<String> retired(List<StoredKey> rows) {
        return rows.stream().filter(row -> row.state() == KeyState.RETIRED).map(StoredKey::kid).toList();
    }

    private static List<String> active(List<StoredKey> rows) {
        return rows.stream().filter(row -> row.state() == KeyState.ACTIVE).map(StoredKey::kid).toList();
    }

    /**
     * The node's repository, whose first write of each {@link #together} call waits at the barrier until the
     * other node also reaches a write (or times out quickly when the other node has nothing to write).
     */
    private static final class FirstWriteWaits implements KeyRepository {
        private final KeyRepository delegate;
        private final Supplier<CyclicBarrier> barrier;
        private @Nullable CyclicBarrier passed;

        FirstWriteWaits(KeyRepository delegate, Supplier<CyclicBarrier> barrier) {
            this.delegate = delegate;
            this.barrier = barrier;
        }

        private void await() {
            CyclicBarrier current = barrier.get();
            if (current != null && passed != current && !current.isBroken()) {
                passed = current;
                try {
                    current.await(2, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // The other node had nothing to write: go on alone.
                }
            }
        }

        @Override
        public List<StoredKey> findAll() {
            return delegate.findAll();
        }

        @Override
        public Optional<StoredKey> find(String kid) {
            return delegate.find(kid);
        }

        @Override
        public boolean isEmpty() {
            return delegate.isEmpty();
        }

        @Override
        public void insert(StoredKey key) {
            await();
            delegate.insert(key);
        }

        @Override
        public boolean updateState(String kid, int expectedVersion, KeyState newState, @Nullable Instant activatedAt,
                                   @Nullable Instant retireAt, @Nullable Instant retiredAt) {
            await();
            return delegate.updateState(kid, expectedVersion, newState, activatedAt, retireAt, retiredAt);
        }

        @Override
        public boolean requestRetirement(String kid, int expectedVersion, Instant retireAt) {
            await();
            return delegate.requestRetirement(kid, expectedVersion, retireAt);
        }

        @Override
        public boolean delete(String kid, int expectedVersion) {
            await();
            return delegate.delete(kid, expectedVersion);
        }
    }
}

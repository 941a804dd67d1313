package io.passerelle.keys;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.passerelle.keys.KeyChange.Action;
import io.passerelle.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtEncodingException;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Two nodes on one database, each with its own connections and key ring, no Spring context: what node one
 * changes in the key table, node two's ring serves within 2 s through its {@link KeyRingWatcher} alone
 * (nobody calls reload on node two), at the production propagation interval of 1 s.
 */
abstract class KeyPropagationContract {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    /** RingNode's policy with the production propagation interval: what this test measures. */
    private static final KeyPolicy POLICY = new KeyPolicy(RingNode.POLICY.rotationPeriod(),
            RingNode.POLICY.jwksCacheLifetime(), RingNode.POLICY.maxTokenLifetime(), RingNode.POLICY.schedulerInterval(),
            KeyPolicy.DEFAULT_PROPAGATION_INTERVAL);
    private static final Duration TARGET = Duration.ofSeconds(2);

    private final List<KeyRingWatcher> watchers = new ArrayList<>();
    private MutableClock clock;
    private RingNode one;
    private RingNode two;

    /** A DataSource factory for one fresh, migrated database: each call a new DataSource on it (a node). */
    protected abstract Supplier<DataSource> freshDatabase();

    @BeforeEach
    void setUp() {
        clock = new MutableClock(T0);
        Supplier<DataSource> database = freshDatabase();
        MasterKey masterKey = MasterKeyTest.randomKey();
        one = new RingNode(database.get(), masterKey, clock, POLICY);
        two = new RingNode(database.get(), masterKey, clock, POLICY);
    }

    @AfterEach
    void tearDown() {
        watchers.forEach(KeyRingWatcher::stop);
    }

    @Test
    void aPublicationAndARevocationOnOneNodeReachTheOtherWithinTwoSeconds() {
        KeyRingWatcher watcher = new KeyRingWatcher(two.ring, POLICY.propagationInterval());
        watchers.add(watcher);
        watcher.start();
        String compromised = two.signingKid(KeyAlgorithm.RS256);

        List<KeyChange> published = one.rotation.rotateNow("admin:x", "drill").stream()
                .filter(change -> change.action() == Action.PUBLISHED).toList();
        // Measured from the return, not the call: generating four keys takes seconds on a busy machine, and the
        // last of the four commits just before the call returns (followed only by node one's own reload).
        long publishing = System.nanoTime();
        List<String> successors = published.stream().map(KeyChange::kid).toList();
        Duration publication = elapsedUntil(publishing, () -> two.publishedKids().containsAll(successors));

        String successor = published.stream().filter(change -> change.alg().equals("RS256")).findFirst().orElseThrow().kid();
        // Node two publishes it (checked above): the clock may say so too, and the revocation promotes it at once.
        clock.advance(POLICY.publishedEverywhere());
        // Measured from the call: the commit is inside it.
        long revoking = System.nanoTime();
        KeyRevocation revocation = one.rotation.revoke(compromised, "admin:security-team", "leaked");
        Duration revocationDelay = elapsedUntil(revoking, () -> two.ring.activeKid(KeyAlgorithm.RS256).orElse("").equals(successor)
                && !two.publishedKids().contains(compromised));

        assertThat(successors).hasSize(4);
        assertThat(revocation.activeKid()).isEqualTo(successor);
        assertThat(publication).isLessThan(TARGET);
        assertThat(revocationDelay).isLessThan(TARGET);
        assertThat(watcher.isRunning()).isTrue();
        System.out.printf("%s: publication reached node two after %d ms, revocation after %d ms (poll every %s)%n",
                getClass().getSimpleName(), publication.toMillis(), revocationDelay.toMillis(), POLICY.propagationInterval());
    }

    @Test
    void aNodeStopsSigningWithARevokedKeyEvenWhenItCannotLoadTheRestOfTheChange() {
        one.rotation.rotateNow("admin:x", "drill");
        clock.advance(POLICY.publishedEverywhere());
        two.ring.reload();
        String compromised = two.signingKid(KeyAlgorithm.RS256);
        one.rotation.revoke(compromised, "admin:security-team", "leaked");
        // In the same change as seen by node two: a row it cannot decrypt (sealed under another master key).
        StoredKey sound = one.ring.newKey(KeyAlgorithm.PS256, KeyState.NEXT);
        one.repository.insert(new StoredKey(sound.kid(), KeyAlgorithm.PS256, KeyState.RETIRED, sound.publicJwk(),
                MasterKeyTest.randomKey().encrypt("{}".getBytes(UTF_8), sound.kid().getBytes(UTF_8)),
                sound.createdAt(), sound.createdAt(), null, sound.createdAt(), 0));

        assertThatThrownBy(two.ring::refresh).isInstanceOf(KeyRingStartupException.class)
                .hasMessageContaining("cannot decrypt the stored key");

        assertThat(two.ring.activeKid(KeyAlgorithm.RS256)).isEmpty();
        assertThat(two.publishedKids()).doesNotContain(compromised);
        NimbusJwtEncoder signer = new NimbusJwtEncoder(two.ring);
        assertThatThrownBy(() -> signer.encode(idToken(SignatureAlgorithm.RS256))).isInstanceOf(JwtEncodingException.class);
        // The other algorithms sign as before: only what is known to be revoked is out.
        assertThat(signer.encode(idToken(SignatureAlgorithm.ES256)).getHeaders()).containsEntry("kid",
                one.signingKid(KeyAlgorithm.ES256));
    }

    private JwtEncoderParameters idToken(SignatureAlgorithm algorithm) {
        return JwtEncoderParameters.from(JwsHeader.with(algorithm).build(), JwtClaimsSet.builder()
                .issuer("https://gateway.example").subject("citizen").audience(List.of("portal"))
                .issuedAt(clock.instant()).expiresAt(clock.instant().plusSeconds(300)).build());
    }

    /**
     * Time from {@code start} (System.nanoTime) until {@code condition} holds, polled every millisecond with a
     * 5 s deadline, past the 2 s target so that a miss reports how late it was rather than just "timed out".
     */
    static Duration elapsedUntil(long start, BooleanSupplier condition) {
        long deadline = start + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s");
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}

package io.passerelle.keys;

import io.passerelle.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWEDecryptionKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditType;
import io.passerelle.keys.KeyChange.Action;
import io.passerelle.testsupport.MigratedDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rotation rules one step at a time, on one node with a clock moved by hand. */
class KeyRotationTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final KeyPolicy POLICY = RingNode.POLICY;
    private static final Duration LEAD = POLICY.publishLead();
    private static final Duration SECOND = Duration.ofSeconds(1);

    private MutableClock clock;
    private RingNode node;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(T0);
        node = new RingNode(MigratedDatabase.h2(), MasterKeyTest.randomKey(), clock, POLICY);
    }

    @Test
    void aSuccessorIsPublishedOneLeadBeforeThePeriodEndsAndSignsFromItsEnd() {
        Map<KeyAlgorithm, String> first = signing();

        clock.set(T0.plus(POLICY.rotationPeriod()).minus(LEAD).minus(SECOND));
        assertThat(node.rotation.runSchedule()).isEmpty();
        clock.advance(SECOND);
        List<KeyChange> published = node.rotation.runSchedule();

        assertThat(published).extracting(KeyChange::action).containsOnly(Action.PUBLISHED).hasSize(4);
        assertThat(node.publishedKids()).hasSize(8).containsAll(first.values())
                .containsAll(published.stream().map(KeyChange::kid).toList());
        assertThat(signing()).isEqualTo(first);

        clock.set(T0.plus(POLICY.rotationPeriod()).minus(SECOND));
        assertThat(node.rotation.runSchedule()).isEmpty();
        clock.advance(SECOND);
        List<KeyChange> rotated = node.rotation.runSchedule();

        assertThat(rotated).extracting(KeyChange::action).containsOnly(Action.RETIRED, Action.ACTIVATED).hasSize(8);
        Map<KeyAlgorithm, String> second = signing();
        assertThat(second.values()).containsExactlyInAnyOrderElementsOf(published.stream().map(KeyChange::kid).toList());
        assertThat(node.publishedKids()).hasSize(8).containsAll(first.values());

        clock.advance(POLICY.retiredKeep().minus(SECOND));
        assertThat(node.rotation.runSchedule()).isEmpty();
        clock.advance(SECOND);
        assertThat(node.rotation.runSchedule()).extracting(KeyChange::action, KeyChange::kid)
                .containsExactlyInAnyOrderElementsOf(first.values().stream().map(kid -> tuple(Action.REMOVED, kid)).toList());
        assertThat(node.publishedKids()).containsExactlyInAnyOrderElementsOf(second.values());

        assertThat(events(AuditType.KEY_ROTATED)).extracting(e -> e.details().get("action"), AuditEvent::actor)
                .containsOnly(tuple("activated", "scheduler"), tuple("removed", "scheduler")).hasSize(8);
        assertThat(events(AuditType.KEY_GENERATED)).hasSize(8)
                .allSatisfy(e -> assertThat(e.reason()).isNotBlank());
    }

    @Test
    void aSuccessorPublishedLateWaitsForTheWholeLeadBeforeSigning() {
        Map<KeyAlgorithm, String> first = signing();
        // The cluster was down when the successor was due.
        clock.set(T0.plus(POLICY.rotationPeriod()).plus(Duration.ofDays(3)));
        assertThat(node.rotation.runSchedule()).extracting(KeyChange::action).containsOnly(Action.PUBLISHED);

        clock.advance(LEAD.minus(SECOND));
        assertThat(node.rotation.runSchedule()).isEmpty();
        assertThat(signing()).isEqualTo(first);
        clock.advance(SECOND);
        assertThat(node.rotation.runSchedule()).extracting(KeyChange::action).contains(Action.ACTIVATED);
        assertThat(signing().values()).doesNotContainAnyElementsOf(first.values());
    }

    @Test
    void rotateNowPublishesSuccessorsThatSignOnceEveryCacheHasThem() {
        Map<KeyAlgorithm, String> first = signing();
        clock.advance(Duration.ofDays(10));

        List<KeyChange> changes = node.rotation.rotateNow("admin:security-team", "suspected leak of a backup");

        assertThat(changes).extracting(KeyChange::action).containsOnly(Action.ROTATION_REQUESTED, Action.PUBLISHED).hasSize(8);
        assertThat(signing()).as("no portal may meet an unknown kid").isEqualTo(first);
        assertThat(node.rotation.list()).filteredOn(status -> status.state().equals("active"))
                .extracting(KeyStatus::rotatesAt).containsOnly(clock.instant());
        assertThat(node.rotation.list()).filteredOn(status -> status.state().equals("next"))
                .extracting(KeyStatus::activatesAt).containsOnly(clock.instant().plus(LEAD));

        clock.advance(LEAD);
        node.rotation.runSchedule();
        assertThat(signing().values()).doesNotContainAnyElementsOf(first.values());
        assertThat(events(AuditType.KEY_ROTATED)).filteredOn(e -> "rotation-requested".equals(e.details().get("action")))
                .extracting(AuditEvent::actor, AuditEvent::reason)
                .containsOnly(tuple("admin:security-team", "suspected leak of a backup")).hasSize(4);
    }

    @Test
    void rotateNowActivatesASuccessorPublishedLongEnoughAtOnce() {
        List<KeyChange> published = node.rotation.rotateNow("cli:alice", "yearly drill");
        // No tick ran since (a single node that was busy, or the operator is quicker than the schedule).
        clock.advance(LEAD.plus(Duration.ofMinutes(1)));

        assertThat(node.rotation.rotateNow("cli:alice", "yearly drill, again")).extracting(KeyChange::action)
                .containsOnly(Action.ACTIVATED, Action.RETIRED).hasSize(8);
        assertThat(signing().values()).containsExactlyInAnyOrderElementsOf(
                published.stream().filter(c -> c.action() == Action.PUBLISHED).map(KeyChange::kid).toList());
        assertThat(events(AuditType.KEY_ROTATED)).filteredOn(e -> "activated".equals(e.details().get("action")))
                .extracting(AuditEvent::actor, AuditEvent::reason).containsOnly(tuple("cli:alice", "yearly drill, again"));
    }

    @Test
    void revokingTheActiveKeyPromotesItsPublishedSuccessor() {
        clock.set(T0.plus(POLICY.rotationPeriod()).minus(LEAD));
        String successor = kidOf(node.rotation.runSchedule(), KeyAlgorithm.RS256);
        String compromised = signing().get(KeyAlgorithm.RS256);

        KeyRevocation revocation = node.rotation.revoke(compromised, "admin:security-team", "key found on a paste site");

        assertThat(revocation.changed()).isTrue();
        assertThat(revocation.previousState()).isEqualTo("active");
        assertThat(revocation.activeKid()).isEqualTo(successor);
        assertThat(signing().get(KeyAlgorithm.RS256)).isEqualTo(successor);
        assertThat(node.publishedKids()).doesNotContain(compromised);
        assertThat(node.revokedKeys.isRevoked(compromised)).isTrue();
        assertThat(node.revokedKeys.isRevoked(successor)).isFalse();
        assertThat(events(AuditType.KEY_REVOKED)).singleElement().satisfies(event -> {
            assertThat(event.actor()).isEqualTo("admin:security-team");
            assertThat(event.reason()).isEqualTo("key found on a paste site");
            assertThat(event.details()).containsEntry("kid", compromised).containsEntry("previous_state", "active");
        });
    }

    @Test
    void revokingTheActiveKeyWithoutSuccessorPublishesANewKeyAndActivatesItOnceEveryNodePublishesIt() {
        String compromised = signing().get(KeyAlgorithm.ES256);
        long started = System.nanoTime();

        KeyRevocation revocation = node.rotation.revoke(compromised, "cli:bob", "laptop stolen");

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(revocation.changes()).extracting(KeyChange::action)
                .containsExactly(Action.REVOKED, Action.PUBLISHED, Action.ACTIVATED);
        String replacement = revocation.changes().get(1).kid();
        assertThat(revocation.changes().get(2).kid()).isEqualTo(replacement);
        assertThat(revocation.activeKid()).isEqualTo(replacement).isNotEqualTo(compromised);
        // The clock stands still: the whole wait was the real time other nodes need to poll (2 x 50 ms).
        assertThat(took).isGreaterThanOrEqualTo(POLICY.publishedEverywhere());
        assertThat(signing().get(KeyAlgorithm.ES256)).isEqualTo(replacement);
        assertThat(node.publishedKids()).hasSize(4).doesNotContain(compromised);
        assertThat(events(AuditType.KEY_GENERATED)).filteredOn(e -> replacement.equals(e.details().get("kid")))
                .singleElement().satisfies(event -> {
                    assertThat(event.details()).containsEntry("state", "next");
                    assertThat(event.reason()).isEqualTo("replaces the revoked key " + compromised
                            + "; signs once every node publishes it");
                });
    }

    @Test
    void revokingTheActiveKeyRightAfterItsSuccessorWasPublishedWaitsBeforePromotingIt() {
        String successor = kidOf(node.rotation.rotateNow("admin:x", "drill").stream()
                .filter(change -> change.action() == Action.PUBLISHED).toList(), KeyAlgorithm.PS256);
        String compromised = signing().get(KeyAlgorithm.PS256);
        long started = System.nanoTime();

        KeyRevocation revocation = node.rotation.revoke(compromised, "admin:x", "leak");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(POLICY.publishedEverywhere());
        assertThat(revocation.changes()).extracting(KeyChange::action, KeyChange::kid)
                .containsExactly(tuple(Action.REVOKED, compromised), tuple(Action.ACTIVATED, successor));
        assertThat(signing().get(KeyAlgorithm.PS256)).isEqualTo(successor);
    }

    @Test
    void withoutAnActiveKeyTheScheduleActivatesOnlyASuccessorEveryNodePublishes() {
        String lost = signing().get(KeyAlgorithm.RS256);
        StoredKey row = node.repository.find(lost).orElseThrow();
        // A revocation interrupted between its commit and its replacement, as a crash would leave it.
        assertThat(node.repository.updateState(lost, row.version(), KeyState.REVOKED, row.activatedAt(), null, T0)).isTrue();
        node.ring.reload();
        assertThat(node.ring.activeKid(KeyAlgorithm.RS256)).isEmpty();

        List<KeyChange> published = node.rotation.runSchedule();
        assertThat(published).extracting(KeyChange::action, KeyChange::alg).containsExactly(tuple(Action.PUBLISHED, "RS256"));
        clock.advance(POLICY.publishedEverywhere().minusMillis(1));
        assertThat(node.rotation.runSchedule()).isEmpty();
        assertThat(node.ring.activeKid(KeyAlgorithm.RS256)).isEmpty();
        clock.advance(Duration.ofMillis(1));

        assertThat(node.rotation.runSchedule()).extracting(KeyChange::action, KeyChange::kid)
                .containsExactly(tuple(Action.ACTIVATED, published.getFirst().kid()));
        assertThat(signing().get(KeyAlgorithm.RS256)).isEqualTo(published.getFirst().kid());
    }

    @Test
    void aSigningChoiceWithoutActiveKeyWaitsForTheSuccessorAndFailsOnlyAfterTheSigningWait() throws Exception {
        // An algorithm the ring never holds is refused at once: only a missing active key is waited for.
        long asked = System.nanoTime();
        assertThat(node.ring.get(new JWKSelector(new JWKMatcher.Builder().keyType(KeyType.RSA)
                .algorithms(JWSAlgorithm.RS384, null).build()), null)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(POLICY.signingWait());
        String lost = signing().get(KeyAlgorithm.ES256);
        StoredKey row = node.repository.find(lost).orElseThrow();
        assertThat(node.repository.updateState(lost, row.version(), KeyState.REVOKED, row.activatedAt(), null, T0)).isTrue();
        node.ring.reload();
        long started = System.nanoTime();
        assertThatThrownBy(() -> node.signingKid(KeyAlgorithm.ES256)).isInstanceOf(AssertionError.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(POLICY.signingWait());

        CompletableFuture<String> choice = new CompletableFuture<>();
        Thread signer = Thread.ofPlatform().start(() -> choice.complete(node.signingKid(KeyAlgorithm.ES256)));
        KeyPropagationContract.elapsedUntil(System.nanoTime(), () -> signer.getState() == Thread.State.TIMED_WAITING);
        String successor = kidOf(node.rotation.runSchedule(), KeyAlgorithm.ES256);
        clock.advance(POLICY.publishedEverywhere());
        node.rotation.runSchedule();

        assertThat(choice.get(5, TimeUnit.SECONDS)).isEqualTo(successor);
    }

    @Test
    void revokingANextOrRetiredKeyOnlyTakesItOutOfTheJwks() {
        Map<KeyAlgorithm, String> first = signing();
        clock.set(T0.plus(POLICY.rotationPeriod()).minus(LEAD));
        String next = kidOf(node.rotation.runSchedule(), KeyAlgorithm.PS256);

        node.rotation.revoke(next, "admin:x", "next key leaked");

        assertThat(signing()).isEqualTo(first);
        assertThat(node.publishedKids()).doesNotContain(next).hasSize(7);
        // The next tick publishes another successor; it waits its whole lead again, past the period's end.
        clock.advance(Duration.ofMinutes(10));
        String replacement = kidOf(node.rotation.runSchedule(), KeyAlgorithm.PS256);
        clock.set(T0.plus(POLICY.rotationPeriod()));
        node.rotation.runSchedule();
        assertThat(signing().get(KeyAlgorithm.PS256)).isEqualTo(first.get(KeyAlgorithm.PS256));
        assertThat(signing().get(KeyAlgorithm.RS256)).isNotEqualTo(first.get(KeyAlgorithm.RS256));
        clock.advance(Duration.ofMinutes(10));
        node.rotation.runSchedule();
        assertThat(signing().get(KeyAlgorithm.PS256)).isEqualTo(replacement);

        node.rotation.revoke(first.get(KeyAlgorithm.PS256), "admin:x", "retired key leaked");

        assertThat(signing().get(KeyAlgorithm.PS256)).isEqualTo(replacement);
        assertThat(node.publishedKids()).doesNotContain(first.get(KeyAlgorithm.PS256), next).hasSize(7);
    }

    @Test
    void repeatingARevocationIsNotAnErrorAndUnknownKidsOrMissingReasonsAreRefused() {
        String kid = signing().get(KeyAlgorithm.RS256);
        node.rotation.revoke(kid, "admin:x", "leak");

        KeyRevocation again = node.rotation.revoke(kid, "admin:x", "leak");

        assertThat(again.changed()).isFalse();
        assertThat(again.changes()).isEmpty();
        assertThat(events(AuditType.KEY_REVOKED)).hasSize(1);
        assertThatThrownBy(() -> node.rotation.revoke("no-such-kid", "admin:x", "leak"))
                .isInstanceOf(UnknownKeyException.class);
        assertThatThrownBy(() -> node.rotation.revoke(signing().get(KeyAlgorithm.PS256), "admin:x", " "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> node.rotation.rotateNow("admin:x", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUpstreamThatEncryptsToOurOldOrNextEncryptionKeyIsStillDecrypted() throws Exception {
        // What an upstream provider cached from our JWKS before the rotation.
        RSAKey cachedOld = (RSAKey) node.ring.activeEncryptionKey().orElseThrow();
        clock.set(T0.plus(POLICY.rotationPeriod()).minus(LEAD));
        node.rotation.runSchedule();
        // An upstream that refreshed meanwhile may pick the successor: it is published with use enc.
        RSAKey next = (RSAKey) node.ring.publicJwks().getKeyByKeyId(kidOf(node.rotation.list(), "next"));
        assertThat(decrypt(encryptTo(next))).isEqualTo("to-" + next.getKeyID());

        clock.set(T0.plus(POLICY.rotationPeriod()));
        node.rotation.runSchedule();
        assertThat(node.ring.activeEncryptionKey().orElseThrow().getKeyID()).isEqualTo(next.getKeyID());
        assertThat(decrypt(encryptTo(cachedOld))).as("the retired key still decrypts").isEqualTo("to-" + cachedOld.getKeyID());

        clock.advance(POLICY.retiredKeep());
        node.rotation.runSchedule();
        assertThat(node.ring.decryptionKeys()).extracting(JWK::getKeyID).containsExactly(next.getKeyID());
    }

    @Test
    void kidOfReadsTheHeaderOfACompactJwsOnly() throws Exception {
        com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("kid-7").build(), new Payload("{}"));
        String unsigned = jws.getHeader().toBase64URL() + "." + jws.getPayload().toBase64URL() + ".c2ln";

        assertThat(RevokedKeys.kidOf(unsigned)).contains("kid-7");
        assertThat(RevokedKeys.kidOf(new PlainJWT(new JWTClaimsSet.Builder().build()).serialize())).isEmpty();
        assertThat(RevokedKeys.kidOf("opaque-refresh-token")).isEmpty();
        assertThat(RevokedKeys.kidOf("a.b.c")).isEmpty();
        assertThat(RevokedKeys.kidOf(null)).isEmpty();
        assertThat(node.revokedKeys.signedByRevokedKey(unsigned)).isFalse();
    }

    private JWEObject encryptTo(RSAKey key) throws Exception {
        EncryptedJWT jwe = new EncryptedJWT(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                .keyID(key.getKeyID()).build(), new JWTClaimsSet.Builder().subject("to-" + key.getKeyID()).build());
        jwe.encrypt(new RSAEncrypter(key));
        return jwe;
    }

    /** As the OIDC connector will: a JWE key selector by kid over {@link KeyRing#decryptionKeys()}. */
    private String decrypt(JWEObject jwe) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWEKeySelector(new JWEDecryptionKeySelector<>(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM,
                new ImmutableJWKSet<>(new JWKSet(node.ring.decryptionKeys()))));
        return processor.process(jwe.serialize(), null).getSubject();
    }

    private Map<KeyAlgorithm, String> signing() {
        return java.util.Arrays.stream(KeyAlgorithm.values())
                .collect(Collectors.toMap(a -> a, node::signingKid, (a, b) -> a, () -> new java.util.EnumMap<>(KeyAlgorithm.class)));
    }

    private List<AuditEvent> events(AuditType type) {
        return node.audit.since(Instant.EPOCH, 1000).stream().filter(e -> e.type() == type).toList();
    }

    private static String kidOf(List<KeyChange> changes, KeyAlgorithm algorithm) {
        return changes.stream().filter(c -> c.alg().equals(algorithm.id())).findFirst().orElseThrow().kid();
    }

    private static String kidOf(List<KeyStatus> statuses, String state) {
        return statuses.stream().filter(s -> s.state().equals(state) && s.alg().equals("RSA-OAEP-256"))
                .findFirst().orElseThrow().kid();
    }
}

package io.passerelle.keys;

import io.passerelle.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditType;
import io.passerelle.testsupport.MigratedDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * A year of scheduled rotations with the production policy (90 days, 1 h JWKS cache, 8 h tokens, 5 min
 * ticks), one tick at a time, on two nodes sharing one database. Node B always lags one tick behind (it
 * re-reads the table before node A's tick changes it), the worst a cluster does. Twelve portals cache
 * the JWKS for exactly its max-age, each refreshing at another phase, alternately from either node.
 *
 * <p>At every tick: nothing private is published; each node has exactly one signing key per algorithm;
 * that key was published at least one cache lifetime before it first signed, and every portal's cache
 * already holds it; every key that signed a token still valid is in every portal's cache. Once a day each
 * node signs a real token per algorithm, verified when issued and again just before it expires.
 */
class KeyRotationYearTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final KeyPolicy POLICY = RingNode.POLICY;
    private static final Duration TICK = POLICY.schedulerInterval();
    private static final int PORTALS = 12;

    private final Map<String, Instant> firstPublished = new HashMap<>();
    private final Map<String, Instant> firstSigned = new HashMap<>();
    private final Map<String, Instant> lastSigned = new HashMap<>();
    private final List<JWKSet> portalCache = new ArrayList<>();
    private final List<Instant> portalFetchedAt = new ArrayList<>();
    private final List<Token> tokens = new ArrayList<>();

    private record Token(String value, String kid, JWSAlgorithm alg, Instant expiresAt) {
    }

    @Test
    void aYearOfScheduledRotations() throws Exception {
        MutableClock clock = new MutableClock(T0);
        String url = ((DriverManagerDataSource) MigratedDatabase.h2()).getUrl();
        MasterKey masterKey = MasterKeyTest.randomKey();
        // One connection per node, kept open: 300,000 queries on fresh connections would take most of the run.
        RingNode a = new RingNode(new SingleConnectionDataSource(url, "sa", "", true), masterKey, clock, POLICY);
        RingNode b = new RingNode(new SingleConnectionDataSource(url, "sa", "", true), masterKey, clock, POLICY);
        List<RingNode> nodes = List.of(a, b);
        Set<String> initialKids = new HashSet<>(a.publishedKids());
        Map<KeyAlgorithm, Integer> activations = new EnumMap<>(KeyAlgorithm.class);
        for (int i = 0; i < PORTALS; i++) {
            portalCache.add(nodes.get(i % 2).ring.publicJwks());
            portalFetchedAt.add(T0.minus(TICK.multipliedBy(i)));
        }

        for (Instant now = T0; now.isBefore(T0.plus(Duration.ofDays(365))); now = now.plus(TICK)) {
            clock.set(now);
            b.ring.reload();
            for (KeyChange change : a.rotation.runSchedule()) {
                if (change.action() == KeyChange.Action.ACTIVATED) {
                    activations.merge(KeyAlgorithm.fromId(change.alg()), 1, Integer::sum);
                }
            }
            refreshPortals(nodes, now);
            for (RingNode node : nodes) {
                checkNode(node, now, initialKids);
            }
            checkStillValidTokensVerify(now);
            if (now.equals(now.truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofHours(9)))) {
                for (RingNode node : nodes) {
                    signAndVerify(node, now);
                }
            }
        }

        // 90-day periods from January 1st: rotations on days 90, 180, 270 and 360 for every algorithm.
        assertThat(activations).containsOnlyKeys(KeyAlgorithm.values()).allSatisfy((alg, count) -> assertThat(count).isEqualTo(4));
        assertThat(a.audit.since(T0, 10_000)).filteredOn(e -> e.type() == AuditType.KEY_ROTATED)
                .extracting(AuditEvent::actor).containsOnly(KeyRotation.SCHEDULER_ACTOR);
        assertThat(a.audit.since(T0, 10_000)).filteredOn(e -> "activated".equals(e.details().get("action"))).hasSize(16);
        assertThat(tokens).hasSize(365 * 2 * 3);
        assertThat(a.ring.publicJwks().size()).isBetween(4, 8);
    }

    /** A portal whose cached copy is one max-age old fetches again, from the node its load balancer picks. */
    private void refreshPortals(List<RingNode> nodes, Instant now) {
        for (int i = 0; i < PORTALS; i++) {
            if (!now.isBefore(portalFetchedAt.get(i).plus(POLICY.jwksCacheLifetime()))) {
                portalCache.set(i, nodes.get((int) (now.getEpochSecond() / TICK.toSeconds() + i) % 2).ring.publicJwks());
                portalFetchedAt.set(i, now);
            }
        }
    }

    private void checkNode(RingNode node, Instant now, Set<String> initialKids) {
        JWKSet published = node.ring.publicJwks();
        check(!published.containsNonPublicKeys(), "private key published at %s", now);
        published.getKeys().forEach(jwk -> firstPublished.putIfAbsent(jwk.getKeyID(), now));
        // At most an active, a next and a retired key per algorithm; and a key that stopped signing leaves once
        // its keep time is over (plus this node's lag of one tick and the tick that removes it).
        check(published.size() <= 3 * KeyAlgorithm.values().length, "too many keys published at %s", now);
        lastSigned.forEach((kid, last) -> check(!now.isAfter(last.plus(POLICY.retiredKeep()).plus(TICK.multipliedBy(2)))
                || published.getKeyByKeyId(kid) == null, "%s not removed at %s", kid, now));
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            String kid = node.signingKid(algorithm);
            if (firstSigned.putIfAbsent(kid, now) == null && !initialKids.contains(kid)) {
                assertThat(Duration.between(firstPublished.get(kid), now))
                        .as("%s %s published before it signs", algorithm, kid)
                        .isGreaterThanOrEqualTo(POLICY.jwksCacheLifetime());
            }
            lastSigned.put(kid, now);
            for (int i = 0; i < PORTALS; i++) {
                check(portalCache.get(i).getKeyByKeyId(kid) != null, "portal %s lacks the signing key %s at %s", i, kid, now);
            }
        }
    }

    /** A token signed by a key at its last signing moment lives max-token-lifetime: every portal must still verify it. */
    private void checkStillValidTokensVerify(Instant now) throws Exception {
        for (Map.Entry<String, Instant> signed : lastSigned.entrySet()) {
            if (!now.isAfter(signed.getValue().plus(POLICY.maxTokenLifetime()))) {
                for (int i = 0; i < PORTALS; i++) {
                    check(portalCache.get(i).getKeyByKeyId(signed.getKey()) != null,
                            "portal %s can no longer verify tokens of %s at %s", i, signed.getKey(), now);
                }
            }
        }
        List<Token> expiring = tokens.stream()
                .filter(token -> !now.isBefore(token.expiresAt().minus(TICK)) && now.isBefore(token.expiresAt())).toList();
        for (Token token : expiring) {
            for (int i = 0; i < PORTALS; i++) {
                verify(token, portalCache.get(i));
            }
        }
    }

    private void signAndVerify(RingNode node, Instant now) throws Exception {
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(node.ring);
        for (KeyAlgorithm algorithm : List.of(KeyAlgorithm.RS256, KeyAlgorithm.PS256, KeyAlgorithm.ES256)) {
            String value = encoder.encode(JwtEncoderParameters.from(
                    JwsHeader.with(SignatureAlgorithm.from(algorithm.id())).build(),
                    JwtClaimsSet.builder().subject("citizen").issuedAt(now).build())).getTokenValue();
            Token token = new Token(value, node.signingKid(algorithm), (JWSAlgorithm) algorithm.jose(),
                    now.plus(POLICY.maxTokenLifetime()));
            for (int i = 0; i < PORTALS; i++) {
                verify(token, portalCache.get(i));
            }
            tokens.add(token);
        }
    }

    /** A plain check: this runs about two million times, AssertJ's fluent objects would dominate the run. */
    private static void check(boolean condition, String message, Object... args) {
        if (!condition) {
            throw new AssertionError(String.format(message, args));
        }
    }

    private static void verify(Token token, JWKSet cached) throws Exception {
        DefaultJWTProcessor<SecurityContext> portal = new DefaultJWTProcessor<>();
        portal.setJWSKeySelector(new JWSVerificationKeySelector<>(token.alg(), new ImmutableJWKSet<>(cached)));
        // No exp claim: the simulated time is not the processor's; key selection and signature are the point.
        assertThat(portal.process(token.value(), null).getSubject()).isEqualTo("citizen");
    }
}

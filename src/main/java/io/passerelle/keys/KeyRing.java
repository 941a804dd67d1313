package io.passerelle.keys;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.crypto.AEADBadTagException;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * The gateway's keys, as the {@link JWKSource} Spring Authorization Server signs with and publishes.
 *
 * <p>Constructing it opens the ring: every stored key is decrypted and checked (a wrong master key fails
 * here, before anything is written), then one ACTIVE key is generated for each {@link KeyAlgorithm} that
 * has none (RS256, PS256, ES256 signing keys, each its own key pair, and the RSA-OAEP-256 key upstream
 * providers encrypt ID tokens to). The result is an immutable snapshot; {@link #get} only filters it:
 * no parsing, decryption or database call per request. {@link KeyRotation} changes the table and calls
 * {@link #reload()}; every node also polls the table every propagation interval ({@link #refresh()}, run by
 * {@link KeyRingWatcher}), so a change made on one node is served by all of them within about a second.
 *
 * <p>What each state contributes (the rules, in one place):
 * <ul>
 * <li>ACTIVE: private JWK. The only keys that can be chosen to sign (or that upstreams should encrypt to).</li>
 * <li>NEXT, RETIRED: public JWK only. Published in the JWKS so relying parties cache a NEXT key before it
 *     signs and still verify tokens a RETIRED key signed; no signer can ever use them.</li>
 * <li>NEXT and RETIRED encryption keys: also private in {@link #decryptionKeys()} (and only there), because
 *     an upstream may encrypt to any enc key it finds in our JWKS: the one it cached before our rotation, or
 *     the successor it picked from a fresh copy. They never sign: their use is enc.</li>
 * <li>REVOKED: nowhere. Not published, not usable, not even decrypted.</li>
 * </ul>
 */
public final class KeyRing implements JWKSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(KeyRing.class);

    private final KeyRepository repository;
    private final MasterKey masterKey;
    private final Clock clock;
    private final @Nullable AuditLog audit;
    private final Duration signingWait;
    /** Notified on every new snapshot, for requests waiting for a signing key (see {@link #get}). */
    private final Object changed = new Object();
    private volatile KeySnapshot snapshot;

    /** Opens the ring without an audit trail (tests, tools). */
    public KeyRing(KeyRepository repository, MasterKey masterKey, Clock clock) {
        this(repository, masterKey, clock, null);
    }

    /**
     * Opens the ring, generating missing active keys (each one a KEY_GENERATED audit event).
     *
     * @throws KeyRingStartupException when a stored key cannot be decrypted or is damaged; the table is
     *         then left exactly as it was
     */
    public KeyRing(KeyRepository repository, MasterKey masterKey, Clock clock, @Nullable AuditLog audit) {
        this(repository, masterKey, clock, audit, Duration.ZERO);
    }

    /**
     * As above; a request choosing a signing key for an algorithm that has none waits up to {@code signingWait}
     * for one ({@link KeyPolicy#signingWait()}: the gateway; zero, fail at once: tests and the CLI).
     */
    public KeyRing(KeyRepository repository, MasterKey masterKey, Clock clock, @Nullable AuditLog audit,
                   Duration signingWait) {
        this.signingWait = signingWait;
        this.repository = repository;
        this.masterKey = masterKey;
        this.clock = clock;
        this.audit = audit;
        this.snapshot = open();
    }

    /**
     * Keys matching the selector. A selection that names an algorithm but no kid is a caller choosing a key
     * to use: NimbusJwtEncoder asks for {kty, use sig or none, alg X or none}, without "private only", and
     * refuses more than one match. Such a selection sees ACTIVE keys only, so exactly one private key
     * answers for each algorithm and a NEXT or RETIRED key of the same algorithm can never be picked or
     * make the choice ambiguous. Every other selection (the JWKS endpoint's empty matcher, a verifier naming
     * the kid of the token it checks) sees every published key; callers publish {@code toPublicJWKSet()}.
     * Decrypting a JWE from an upstream needs {@link #decryptionKeys()}, not this method, because RETIRED
     * encryption keys are public-only here.
     *
     * <p>A choice that finds no ACTIVE key (only right after an emergency revocation, while the successor is
     * being published to every node) waits up to the signing wait for one, so a login takes a few seconds
     * longer instead of failing; the revoked key is never an answer.
     */
    @Override
    public List<JWK> get(JWKSelector selector, @Nullable SecurityContext context) {
        KeySnapshot current = this.snapshot;
        JWKMatcher matcher = selector.getMatcher();
        boolean choosing = namesOne(matcher.getAlgorithms()) && !namesOne(matcher.getKeyIDs());
        List<JWK> selected = selector.select(choosing ? current.active() : current.all());
        // Waits only while some algorithm lacks its active key: a choice the ring can never answer (an algorithm
        // it does not hold) fails at once, as before.
        return choosing && selected.isEmpty() && !current.missingActive().isEmpty() ? awaitSigningKey(selector) : selected;
    }

    private List<JWK> awaitSigningKey(JWKSelector selector) {
        long deadline = System.nanoTime() + signingWait.toNanos();
        synchronized (changed) {
            List<JWK> selected = selector.select(snapshot.active());
            for (long left = deadline - System.nanoTime(); selected.isEmpty() && left > 0; left = deadline - System.nanoTime()) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(changed, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                selected = selector.select(snapshot.active());
            }
            return selected;
        }
    }

    private void apply(KeySnapshot next) {
        synchronized (changed) {
            this.snapshot = next;
            changed.notifyAll();
        }
    }

    /** The JWKS to publish: every ACTIVE, NEXT and RETIRED key, public parts only. */
    public JWKSet publicJwks() {
        return snapshot.published();
    }

    /** The public JWK upstream providers should encrypt to (the ACTIVE RSA-OAEP-256 key). */
    public Optional<JWK> activeEncryptionKey() {
        return Optional.ofNullable(snapshot.encryption());
    }

    /**
     * Private encryption keys to decrypt an upstream's JWE with: every published one, NEXT, ACTIVE and
     * RETIRED (an upstream may still use a key it cached before our rotation, or already the successor).
     * Their use is enc, so a signer given them would refuse them; build a JWEDecryptionKeySelector from
     * this list, selecting by kid.
     */
    public List<JWK> decryptionKeys() {
        return snapshot.decryption();
    }

    /** The kid of the key that signs (or is encrypted to) for this algorithm, in this node's snapshot. */
    public Optional<String> activeKid(KeyAlgorithm algorithm) {
        return Optional.ofNullable(snapshot.activeKids().get(algorithm));
    }

    /**
     * Re-reads the table into a new snapshot without generating anything. Cheap when nothing changed (the
     * kids and versions are compared first; no key is decrypted), so every tick may call it. On failure
     * the previous snapshot stays in use.
     *
     * <p>Synchronized, reading included: two reloads racing (the scheduler's and an operator's) must apply
     * their snapshots in the order they read the table. Otherwise a slow reload that read before a
     * revocation could put the revoked key back after a quick one that read after it.
     *
     * @throws KeyRingStartupException when a changed row cannot be decrypted or is damaged
     */
    synchronized void reload() {
        List<StoredKey> rows = repository.findAll();
        if (rows.stream().map(KeyVersion::of).toList().equals(snapshot.versions())) {
            return;
        }
        KeySnapshot loaded = load(rows);
        apply(loaded);
        log.info("Key ring reloaded: {}", loaded.describe());
    }

    /**
     * What {@link KeyRingWatcher} runs every propagation interval: reads only kid, state and version of each
     * row and returns false when they are what this snapshot was built from (no key material read, no JWK
     * parsed or decrypted). Otherwise it first takes every key that is now revoked or deleted out of the
     * snapshot, then {@link #reload()}s. So a revocation stops this node signing even when the full reload
     * fails (a new row it cannot decrypt), which would otherwise keep the previous snapshot, revoked key included.
     *
     * @return true when the table had changed
     * @throws KeyRingStartupException when a changed row cannot be decrypted or is damaged (after the withdrawal)
     */
    synchronized boolean refresh() {
        List<KeyVersion> seen = repository.versions();
        if (seen.equals(snapshot.versions())) {
            return false;
        }
        withdrawAllBut(seen.stream().filter(row -> row.state() != KeyState.REVOKED).map(KeyVersion::kid)
                .collect(Collectors.toSet()));
        reload();
        return true;
    }

    /**
     * Takes one key out of this node's snapshot now (it stops signing and leaves the JWKS), before any
     * reload: {@link KeyRotation#revoke} calls it once the revocation is committed. Withdrawing never
     * brings anything back and a revoked key never returns, so this cannot undo a newer reload.
     */
    synchronized void withdraw(String kid) {
        withdrawAllBut(snapshot.kids().stream().filter(known -> !known.equals(kid)).collect(Collectors.toSet()));
    }

    private void withdrawAllBut(Set<String> live) {
        KeySnapshot current = this.snapshot;
        KeySnapshot kept = current.keeping(live);
        if (kept != current) {
            apply(kept);
            log.info("Key ring: stopped using the revoked or removed keys {} ahead of the reload", current.kids().stream()
                    .filter(kid -> !live.contains(kid)).toList());
        }
    }

    /**
     * A new key pair for {@code algorithm}, sealed under the master key, as a row in {@code state}. Not
     * stored: the caller inserts it, so it can generate (slow, RSA) before opening a transaction.
     */
    StoredKey newKey(KeyAlgorithm algorithm, KeyState state) {
        String kid = JwkGenerator.newKid();
        JWK jwk = JwkGenerator.generate(algorithm, kid, clock.instant());
        // Stamped after generating, which takes a while for RSA: a NEXT key's lead is measured from created_at,
        // so it must not start before the row can exist. Microseconds: what both databases keep.
        Instant created = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return new StoredKey(kid, algorithm, state, jwk.toPublicJWK().toJSONString(),
                masterKey.encrypt(jwk.toJSONString().getBytes(UTF_8), kid.getBytes(UTF_8)),
                created, state == KeyState.ACTIVE ? created : null, null, null, 0);
    }

    private KeySnapshot open() {
        KeySnapshot loaded = load();
        Set<KeyAlgorithm> missing = loaded.missingActive();
        if (missing.isEmpty()) {
            log.info("Key ring opened with the master key from {}: {}", masterKey.source(), loaded.describe());
            return loaded;
        }
        // An algorithm whose active key was revoked while its published successor is not yet signing (a node
        // started in that gap): the successor takes over (the revoking node, or the key schedule on any node,
        // activates it once every node publishes it); a fresh key here would sign with a kid no portal has
        // seen. Meanwhile token requests of that algorithm wait for it (KeyPolicy.signingWait).
        List<StoredKey> rows = repository.findAll();
        Set<KeyAlgorithm> awaitingSuccessor = EnumSet.noneOf(KeyAlgorithm.class);
        for (KeyAlgorithm algorithm : missing) {
            boolean revoked = rows.stream().anyMatch(r -> r.algorithm() == algorithm && r.state() == KeyState.REVOKED);
            boolean successor = rows.stream().anyMatch(r -> r.algorithm() == algorithm && r.state() == KeyState.NEXT);
            if (revoked && successor) {
                awaitingSuccessor.add(algorithm);
            }
        }
        for (KeyAlgorithm algorithm : missing) {
            if (awaitingSuccessor.contains(algorithm)) {
                log.warn("No active {} key: its published successor takes over once every node publishes it",
                        algorithm.id());
            } else {
                insertActive(algorithm);
            }
        }
        KeySnapshot completed = load();
        Set<KeyAlgorithm> stillMissing = completed.missingActive();
        stillMissing.removeAll(awaitingSuccessor);
        if (!stillMissing.isEmpty()) {
            throw new KeyRingStartupException("No active key for " + stillMissing
                    + " after generating one; the signing_key table refuses new keys.");
        }
        log.info("Key ring opened with the master key from {}: {}", masterKey.source(), completed.describe());
        return completed;
    }

    private void insertActive(KeyAlgorithm algorithm) {
        StoredKey key = newKey(algorithm, KeyState.ACTIVE);
        try {
            repository.insert(key);
            log.info("Generated the active {} key {}", algorithm.id(), key.kid());
            if (audit != null) {
                audit.record(AuditEvent.of(AuditType.KEY_GENERATED).actor(KeyRotation.SYSTEM_ACTOR)
                        .reason("no active " + algorithm.id() + " key when the key ring opened")
                        .detail("kid", key.kid()).detail("alg", algorithm.id()).detail("state", "active"));
            }
        } catch (DuplicateKeyException e) {
            // Another node sharing the table activated one between our read and this insert (the unique
            // index allows one active key per algorithm): the reload that follows uses theirs.
            log.info("Another node generated the active {} key first; using it", algorithm.id());
        }
    }

    private KeySnapshot load() {
        return load(repository.findAll());
    }

    private KeySnapshot load(List<StoredKey> rows) {
        List<KeySnapshot.OpenKey> keys = new ArrayList<>();
        for (StoredKey row : rows) {
            if (row.state() != KeyState.REVOKED) {
                keys.add(new KeySnapshot.OpenKey(row, unseal(row)));
            }
        }
        return KeySnapshot.of(keys, rows.stream().map(KeyVersion::of).toList());
    }

    /** Decrypts a row's private JWK and checks it is the key the row says it is. */
    private JWK unseal(StoredKey row) {
        byte[] json;
        try {
            json = masterKey.decrypt(row.privateKey(), row.kid().getBytes(UTF_8));
        } catch (AEADBadTagException e) {
            throw new KeyRingStartupException("The master key is wrong: the master key from " + masterKey.source()
                    + " cannot decrypt the stored key " + row.describe() + ". Start with the master key these keys"
                    + " were created with (" + KeyProperties.MASTER_KEY_PROPERTY + ", env PASSERELLE_KEYS_MASTER_KEY,"
                    + " or the master key file). If it is the right one, the row was altered. Nothing was changed.", e);
        }
        try {
            JWK key = JWK.parse(new String(json, UTF_8));
            JWK published = JWK.parse(row.publicJwk());
            boolean consistent = key.isPrivate()
                    && row.kid().equals(key.getKeyID())
                    && key.getAlgorithm() != null && row.algorithm().id().equals(key.getAlgorithm().getName())
                    && row.algorithm().use().equals(key.getKeyUse())
                    && !published.isPrivate()
                    // The public column is exactly the public part of the sealed key (kid, alg, use, x5c).
                    && key.toPublicJWK().toJSONObject().equals(published.toJSONObject());
            if (!consistent) {
                throw new KeyRingStartupException("The stored key " + row.describe() + " is damaged: its sealed"
                        + " private key does not match its kid, algorithm, use or public JWK. Nothing was changed.");
            }
            return key;
        } catch (ParseException e) {
            throw new KeyRingStartupException("The stored key " + row.describe() + " is damaged: it does not hold a"
                    + " valid JWK (" + e.getMessage() + "). Nothing was changed.", e);
        }
    }

    private static boolean namesOne(@Nullable Collection<?> values) {
        return values != null && values.stream().anyMatch(Objects::nonNull);
    }
}

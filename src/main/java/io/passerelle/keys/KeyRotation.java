package io.passerelle.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import io.passerelle.audit.AuditEvent;
import io.passerelle.audit.AuditLog;
import io.passerelle.audit.AuditType;
import io.passerelle.keys.KeyChange.Action;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The life of the ring's keys, applied per algorithm by every node on every tick and by operators:
 * <ol>
 * <li>no NEXT key and the ACTIVE key's period ends within {@link KeyPolicy#publishLead()}: generate a
 *     NEXT key (published, not signing);</li>
 * <li>the ACTIVE key's period is over and the NEXT key has been published for the lead time: retire the
 *     ACTIVE key and activate the NEXT one, in one transaction;</li>
 * <li>a RETIRED key past {@link KeyPolicy#retiredKeep()}: delete it (it leaves the JWKS).</li>
 * </ol>
 * Nodes sharing the table decide independently and write by compare-and-swap, so a step happens once: the
 * node whose swap fails ("already rotated") is not in error; it re-reads, and its ring reloads. The unique
 * indexes on {@code active_alg} and {@code next_alg} back this up. Every change is an audit event written in
 * the same transaction as the change, so there is no change without its event.
 */
public final class KeyRotation {

    /** The actor of changes nobody asked for: the first start, a missing active key. */
    public static final String SYSTEM_ACTOR = "system";
    /** The actor of scheduled steps. */
    public static final String SCHEDULER_ACTOR = "scheduler";
    private static final int ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

    private final KeyRing ring;
    private final KeyRepository repository;
    private final KeyPolicy policy;
    private final Clock clock;
    private final AuditLog audit;
    private final TransactionTemplate transactions;

    public KeyRotation(KeyRing ring, KeyRepository repository, KeyPolicy policy, Clock clock, AuditLog audit,
                       TransactionTemplate transactions) {
        this.ring = ring;
        this.repository = repository;
        this.policy = policy;
        this.clock = clock;
        this.audit = audit;
        this.transactions = transactions;
    }

    public KeyPolicy policy() {
        return policy;
    }

    /** One scheduled tick: every step that is due, for every algorithm, then this node's ring reloads. */
    public List<KeyChange> runSchedule() {
        Instant now = now();
        // One read per tick: each step changes only its own algorithm's rows.
        List<StoredKey> rows = repository.findAll();
        List<KeyChange> changes = new ArrayList<>();
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            changes.addAll(step(algorithm, of(rows, algorithm), now, SCHEDULER_ACTOR, null));
        }
        // A fresh read, never the rows above: another thread or node may have changed the table since, and a
        // snapshot built from older rows would bring back a key revoked in between.
        ring.reload();
        return changes;
    }

    /**
     * Ends every ACTIVE key's period now. Successors are published now (if there is none yet) and take over
     * once published for the lead time: at once if they already were, otherwise at a later tick. This never
     * makes a portal fail; to take a key out of use at once, {@link #revoke} it.
     */
    public List<KeyChange> rotateNow(String actor, String reason) {
        requireReason(reason);
        Instant now = now();
        List<KeyChange> changes = new ArrayList<>();
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            Optional<StoredKey> active = find(of(repository.findAll(), algorithm), KeyState.ACTIVE);
            if (active.isPresent() && policy.rotatesAt(active.get()).isAfter(now)) {
                StoredKey key = active.get();
                if (inTransaction(() -> repository.requestRetirement(key.kid(), key.version(), now)
                        && recorded(AuditEvent.of(AuditType.KEY_ROTATED).actor(actor).reason(reason)
                                .detail("action", "rotation-requested").detail("kid", key.kid())
                                .detail("alg", algorithm.id())))) {
                    changes.add(KeyChange.of(Action.ROTATION_REQUESTED, key));
                }
            }
            changes.addAll(step(algorithm, of(repository.findAll(), algorithm), now, actor, reason));
        }
        ring.reload();
        return changes;
    }

    /**
     * Emergency revocation: the key stops signing and leaves the JWKS at once on this node, on every other
     * node at its next poll (within {@link KeyPolicy#publishedEverywhere()}, see {@link KeyRingWatcher}); it
     * is never used again, and {@link RevokedKeys} reports the tokens it signed. When it was the ACTIVE key, a
     * successor takes over, but only one that every node already publishes, so that a portal meeting the new
     * kid and refetching the JWKS finds it whichever node answers:
     * <ul>
     * <li>a NEXT key in the table for at least {@code publishedEverywhere}: activated in the same transaction;</li>
     * <li>a younger NEXT key, or none (a new key is then generated and published as NEXT right after the
     *     revocation commits): activated by this call once published that long, about two propagation
     *     intervals later (the call waits). Until then the algorithm has no signing key on any node: a token needing it
     *     fails to be issued rather than carry a revoked key or a kid no portal can fetch. Should this node
     *     stop meanwhile, the next scheduler tick of any node activates it.</li>
     * </ul>
     *
     * @throws UnknownKeyException when no key has this kid
     */
    public KeyRevocation revoke(String kid, String actor, String reason) {
        requireReason(reason);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            StoredKey key = repository.find(kid).orElseThrow(() -> new UnknownKeyException(kid));
            KeyAlgorithm algorithm = key.algorithm();
            if (key.state() == KeyState.REVOKED) {
                return new KeyRevocation(kid, algorithm.id(), key.state().dbValue(), false,
                        ring.activeKid(algorithm).orElse(null), List.of());
            }
            Instant now = now();
            boolean wasActive = key.state() == KeyState.ACTIVE;
            Optional<StoredKey> next = find(of(repository.findAll(), algorithm), KeyState.NEXT);
            boolean promote = wasActive && next.isPresent() && !now.isBefore(policy.emergencyActivatableAt(next.get()));
            String why = "replaces the revoked key " + kid;
            List<KeyChange> changes = new ArrayList<>();
            boolean done = inTransaction(changes, pending -> {
                if (!repository.updateState(kid, key.version(), KeyState.REVOKED, key.activatedAt(), key.retireAt(), now)) {
                    return false;
                }
                pending.add(KeyChange.of(Action.REVOKED, key));
                audit.record(AuditEvent.of(AuditType.KEY_REVOKED).actor(actor).reason(reason).detail("kid", kid)
                        .detail("alg", algorithm.id()).detail("previous_state", key.state().dbValue()));
                return !promote || activate(next.get(), now, actor, why, pending);
            });
            if (done) {
                // Out of this node's snapshot before the reload, which may fail (a row it cannot decrypt).
                ring.withdraw(kid);
                ring.reload();
                if (wasActive && !promote) {
                    // The successor is generated only now, after the revocation has committed: an RSA key takes a
                    // while, and the revoked key must not sign meanwhile.
                    StoredKey successor = next.orElseGet(() -> publishSuccessor(algorithm, actor, why, changes));
                    activateOncePublished(successor, actor, why, changes);
                }
                return new KeyRevocation(kid, algorithm.id(), key.state().dbValue(), true,
                        ring.activeKid(algorithm).orElse(null), List.copyOf(changes));
            }
            log.info("Key {} changed while being revoked; reading it again", kid);
        }
        throw new IllegalStateException("Key " + kid + " kept changing during " + ATTEMPTS + " revocation attempts; try again");
    }

    /**
     * A new NEXT key for a revoked ACTIVE one, or the NEXT key another node's tick published first (if that one
     * is gone too, the key returned was never stored: activating it finds nothing to do and the schedule takes over).
     */
    private StoredKey publishSuccessor(KeyAlgorithm algorithm, String actor, String why, List<KeyChange> changes) {
        StoredKey fresh = ring.newKey(algorithm, KeyState.NEXT);
        if (inTransaction(changes, pending -> publish(fresh, actor, why + "; signs once every node publishes it", pending))) {
            ring.reload();
            return fresh;
        }
        return find(of(repository.findAll(), algorithm), KeyState.NEXT).orElse(fresh);
    }

    /**
     * Waits until {@code successor} has been in the table for {@link KeyPolicy#publishedEverywhere()}, then
     * activates it, unless another node's tick did first or it is no longer the NEXT key. The deadline comes
     * from the clock (the row's created_at); the wait itself is real time, since it is other nodes' polls,
     * not the clock, that publish the key.
     */
    private void activateOncePublished(StoredKey successor, String actor, String why, List<KeyChange> changes) {
        Duration wait = Duration.between(now(), policy.emergencyActivatableAt(successor));
        if (wait.isPositive()) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("Interrupted before activating {}; the next scheduler tick activates it", successor.kid());
                return;
            }
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<StoredKey> rows = of(repository.findAll(), successor.algorithm());
            Optional<StoredKey> current = find(rows, KeyState.NEXT).filter(row -> row.kid().equals(successor.kid()));
            if (find(rows, KeyState.ACTIVE).isPresent() || current.isEmpty()
                    || inTransaction(changes, pending -> activate(current.get(), now(), actor, why, pending))) {
                break;
            }
        }
        ring.reload();
    }

    /** Every key in the table with its state and planned dates, oldest first. */
    public List<KeyStatus> list() {
        List<StoredKey> rows = repository.findAll();
        List<KeyStatus> statuses = new ArrayList<>();
        for (StoredKey row : rows) {
            Optional<StoredKey> active = rows.stream()
                    .filter(other -> other.algorithm() == row.algorithm() && other.state() == KeyState.ACTIVE).findFirst();
            Instant activatesAt = row.state() == KeyState.NEXT
                    ? latest(policy.activatableAt(row), active.map(policy::rotatesAt).orElse(null)) : null;
            statuses.add(new KeyStatus(row.kid(), row.algorithm().id(), row.algorithm().use().getValue(),
                    row.state().dbValue(), row.createdAt(), row.activatedAt(), activatesAt,
                    row.state() == KeyState.ACTIVE ? policy.rotatesAt(row) : null, row.retiredAt(),
                    policy.removeAt(row), row.state() != KeyState.REVOKED));
        }
        return statuses;
    }

    /** The due steps of one algorithm, decided on its {@code rows}. {@code reason} null: the schedule's own. */
    private List<KeyChange> step(KeyAlgorithm algorithm, List<StoredKey> rows, Instant now, String actor,
                                 @Nullable String reason) {
        List<KeyChange> changes = new ArrayList<>();
        Optional<StoredKey> active = find(rows, KeyState.ACTIVE);
        Optional<StoredKey> next = find(rows, KeyState.NEXT);
        if (active.isEmpty()) {
            // Only after a revocation interrupted before it activated its replacement, or a row removed by
            // hand. Every algorithm must have a signing key again, but one every node already publishes: a
            // NEXT key published less than publishedEverywhere ago waits for a later tick (or the revocation).
            String why = "no active " + algorithm.id() + " key";
            if (next.isEmpty()) {
                StoredKey fresh = ring.newKey(algorithm, KeyState.NEXT);
                inTransaction(changes, pending -> publish(fresh, actor, why + "; signs once every node publishes it", pending));
            } else if (!now.isBefore(policy.emergencyActivatableAt(next.get()))) {
                inTransaction(changes, pending -> activate(next.get(), now, actor, why, pending));
            }
        } else if (next.isEmpty() && !now.isBefore(policy.publishNextAt(active.get()))) {
            StoredKey fresh = ring.newKey(algorithm, KeyState.NEXT);
            String why = reason != null ? reason
                    : "successor of " + active.get().kid() + ", whose period ends " + policy.rotatesAt(active.get());
            inTransaction(changes, pending -> publish(fresh, actor, why, pending));
        } else if (next.isPresent() && !now.isBefore(policy.rotatesAt(active.get()))
                && !now.isBefore(policy.activatableAt(next.get()))) {
            StoredKey old = active.get();
            String why = reason != null ? reason : "the period of " + old.kid() + " ended " + policy.rotatesAt(old);
            inTransaction(changes, pending -> {
                if (!repository.updateState(old.kid(), old.version(), KeyState.RETIRED, old.activatedAt(),
                        old.retireAt(), now)) {
                    return false;
                }
                pending.add(KeyChange.of(Action.RETIRED, old));
                return activate(next.get(), now, actor, why, pending);
            });
        }
        for (StoredKey retired : rows) {
            Instant removeAt = policy.removeAt(retired);
            if (removeAt != null && !now.isBefore(removeAt)) {
                inTransaction(changes, pending -> {
                    if (!repository.delete(retired.kid(), retired.version())) {
                        return false;
                    }
                    pending.add(KeyChange.of(Action.REMOVED, retired));
                    return recorded(AuditEvent.of(AuditType.KEY_ROTATED).actor(actor)
                            .reason("its tokens have expired and JWKS caches renewed since it retired " + retired.retiredAt())
                            .detail("action", "removed").detail("kid", retired.kid()).detail("alg", algorithm.id()));
                });
            }
        }
        return changes;
    }

    /** NEXT to ACTIVE (the caller has retired or revoked the previous active key in this transaction). */
    private boolean activate(StoredKey next, Instant now, String actor, String why, List<KeyChange> changes) {
        if (!repository.updateState(next.kid(), next.version(), KeyState.ACTIVE, now, null, null)) {
            return false;
        }
        changes.add(KeyChange.of(Action.ACTIVATED, next));
        return recorded(AuditEvent.of(AuditType.KEY_ROTATED).actor(actor).reason(why).detail("action", "activated")
                .detail("kid", next.kid()).detail("alg", next.algorithm().id())
                .detail("published_at", next.createdAt().toString()));
    }

    /** Inserts a new NEXT key: published (at once here, at their next poll on the other nodes), not signing. */
    private boolean publish(StoredKey fresh, String actor, String why, List<KeyChange> changes) {
        repository.insert(fresh);
        changes.add(KeyChange.of(Action.PUBLISHED, fresh));
        return recorded(AuditEvent.of(AuditType.KEY_GENERATED).actor(actor).reason(why).detail("kid", fresh.kid())
                .detail("alg", fresh.algorithm().id()).detail("state", "next"));
    }

    private boolean recorded(AuditEvent.Builder event) {
        audit.record(event);
        return true;
    }

    /** {@link #inTransaction(BooleanSupplier)}, adding what {@code work} reports to {@code changes} only on commit. */
    private boolean inTransaction(List<KeyChange> changes, Predicate<List<KeyChange>> work) {
        List<KeyChange> pending = new ArrayList<>();
        boolean committed = inTransaction(() -> work.test(pending));
        if (committed) {
            changes.addAll(pending);
        }
        return committed;
    }

    /**
     * Runs {@code work} in one transaction; false from it rolls everything back. Losing a race to another
     * node (a swap on a changed version, a duplicate NEXT or ACTIVE key, a lock conflict) is an expected
     * outcome, reported as false: the table already holds the other node's decision.
     */
    private boolean inTransaction(BooleanSupplier work) {
        try {
            return Boolean.TRUE.equals(transactions.execute(status -> {
                if (work.getAsBoolean()) {
                    return true;
                }
                status.setRollbackOnly();
                return false;
            }));
        } catch (DuplicateKeyException | ConcurrencyFailureException e) {
            log.info("Another node changed the key ring first ({}); keeping its change", e.getClass().getSimpleName());
            return false;
        }
    }

    private static Optional<StoredKey> find(List<StoredKey> rows, KeyState state) {
        return rows.stream().filter(key -> key.state() == state).findFirst();
    }

    private static List<StoredKey> of(List<StoredKey> rows, KeyAlgorithm algorithm) {
        return rows.stream().filter(key -> key.algorithm() == algorithm).toList();
    }

    private Instant now() {
        // Microseconds, what both databases keep: a stored instant reads back equal. Not whole seconds: the
        // lead and keep times are measured from stored instants, and rounding down would shorten them.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static @Nullable Instant latest(Instant a, @Nullable Instant b) {
        return b != null && b.isAfter(a) ? b : a;
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("A reason is required: the audit trail records why keys changed");
        }
    }
}

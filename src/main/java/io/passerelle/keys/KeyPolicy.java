package io.passerelle.keys;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * When a key is published, signs, retires and disappears: the rules of {@link KeyRotation}, as pure
 * functions of a stored row and the settings of {@link KeyProperties}. Two margins run through them:
 * <ul>
 * <li>a portal may serve a JWKS from its cache for {@code jwksCacheLifetime};</li>
 * <li>another node of the cluster sees a change in the table at its next poll, within
 *     {@link #publishedEverywhere()} (until then it still publishes, and may still sign with, what it read
 *     before); {@code schedulerInterval}, longer, is the margin added to the lead and keep times.</li>
 * </ul>
 * So a NEXT key signs only once it has been in the table for {@link #publishLead()} (cache + interval),
 * and a RETIRED key stays published for {@link #retiredKeep()} (interval + longest token + cache). An
 * emergency replacement skips the cache margin (portals refetch the JWKS on an unknown kid) but never the
 * nodes' one: it signs only once every node publishes it ({@link #emergencyActivatableAt}).
 *
 * @param rotationPeriod    how long a key is ACTIVE before the schedule replaces it
 * @param jwksCacheLifetime the {@code max-age} of the JWKS
 * @param maxTokenLifetime  the longest lifetime of a token the gateway signs
 * @param schedulerInterval how often each node ticks (rotates if due, re-reads the table)
 * @param propagationInterval how often each node polls the table for changes ({@link KeyRingWatcher})
 */
public record KeyPolicy(Duration rotationPeriod, Duration jwksCacheLifetime, Duration maxTokenLifetime,
                        Duration schedulerInterval, Duration propagationInterval) {

    /** The default of {@code passerelle.keys.propagation-interval}. */
    public static final Duration DEFAULT_PROPAGATION_INTERVAL = Duration.ofSeconds(1);

    /** With the default propagation interval. */
    public KeyPolicy(Duration rotationPeriod, Duration jwksCacheLifetime, Duration maxTokenLifetime,
                     Duration schedulerInterval) {
        this(rotationPeriod, jwksCacheLifetime, maxTokenLifetime, schedulerInterval, DEFAULT_PROPAGATION_INTERVAL);
    }

    public KeyPolicy {
        positive("rotation-period", rotationPeriod);
        positive("jwks-cache-lifetime", jwksCacheLifetime);
        positive("max-token-lifetime", maxTokenLifetime);
        positive("scheduler-interval", schedulerInterval);
        positive("propagation-interval", propagationInterval);
        Duration lead = jwksCacheLifetime.plus(schedulerInterval);
        if (rotationPeriod.compareTo(lead) <= 0) {
            throw new KeyRingStartupException("passerelle.keys.rotation-period (" + rotationPeriod + ") must be longer"
                    + " than jwks-cache-lifetime + scheduler-interval (" + lead + "): a new key is published that long"
                    + " before it signs.");
        }
        // Some relying parties refuse a JWK whose x5c certificate has expired: the whole published life of a
        // key (published ahead, active, kept after retirement) must fit in its certificate.
        Duration life = lead.plus(rotationPeriod).plus(schedulerInterval).plus(maxTokenLifetime).plus(jwksCacheLifetime);
        if (life.compareTo(JwkGenerator.CERTIFICATE_LIFETIME) > 0) {
            throw new KeyRingStartupException("passerelle.keys.rotation-period (" + rotationPeriod + ") is too long: a"
                    + " key would stay published for " + life.toDays() + " days, past the " + JwkGenerator.CERTIFICATE_LIFETIME.toDays()
                    + " days of its certificate.");
        }
    }

    /** How long a NEXT key is in the table before it may sign: every node and every portal cache has it then. */
    public Duration publishLead() {
        return jwksCacheLifetime.plus(schedulerInterval);
    }

    /** How long a RETIRED key stays published after it stopped signing. */
    public Duration retiredKeep() {
        return schedulerInterval.plus(maxTokenLifetime).plus(jwksCacheLifetime);
    }

    /**
     * When an ACTIVE key's period ends: its activation plus the rotation period, or earlier if an operator
     * asked to rotate now (the row's {@code retire_at}).
     */
    public Instant rotatesAt(StoredKey active) {
        Instant scheduled = activeSince(active).plus(rotationPeriod);
        Instant requested = active.retireAt();
        return requested != null && requested.isBefore(scheduled) ? requested : scheduled;
    }

    /** When the successor of an ACTIVE key should be published so it can sign at {@link #rotatesAt}. */
    public Instant publishNextAt(StoredKey active) {
        return rotatesAt(active).minus(publishLead());
    }

    /**
     * How long after a change every node has read it: a node polls every {@code propagationInterval}, so a
     * poll starts at most one interval after the commit; the second interval is the margin for that poll
     * (a query, and decrypting a new key) and a node that polls a little late (a pause, a busy database).
     */
    public Duration publishedEverywhere() {
        return propagationInterval.multipliedBy(2);
    }

    /**
     * How long a token request waits for a signing key when its algorithm has none, instead of failing: after an
     * emergency revocation with no published successor, the successor is generated (up to about an interval),
     * published to every node ({@link #publishedEverywhere()}), activated, and read by this node (one more
     * interval). Four intervals, and a second more for generating an RSA key on a busy node.
     */
    public Duration signingWait() {
        return publishedEverywhere().plus(propagationInterval.multipliedBy(2)).plusSeconds(1);
    }

    /**
     * The earliest moment a NEXT key may replace a revoked ACTIVE key: once every node publishes it, so a
     * portal that meets its kid and refetches the JWKS finds it whichever node answers.
     */
    public Instant emergencyActivatableAt(StoredKey next) {
        return next.createdAt().plus(publishedEverywhere());
    }

    /** The earliest moment a NEXT key may sign. */
    public Instant activatableAt(StoredKey next) {
        return next.createdAt().plus(publishLead());
    }

    /** When a RETIRED key leaves the JWKS (its row is deleted), or null for a key that is not retired. */
    public @Nullable Instant removeAt(StoredKey key) {
        Instant retiredAt = key.retiredAt();
        return key.state() == KeyState.RETIRED && retiredAt != null ? retiredAt.plus(retiredKeep()) : null;
    }

    private static Instant activeSince(StoredKey key) {
        return key.activatedAt() != null ? key.activatedAt() : key.createdAt();
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new KeyRingStartupException("passerelle.keys." + name + " must be a positive duration, not " + value);
        }
    }
}

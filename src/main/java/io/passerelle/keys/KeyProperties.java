package io.passerelle.keys;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The key ring's part of config/application.yml (prefix {@code passerelle.keys}): where the master key
 * comes from, and the key policy (when keys are published, sign, retire and disappear; see
 * {@link KeyPolicy} for the rules these numbers feed).
 *
 * @param masterKey          {@code master-key}: base64 of the 32-byte master key, normally from the
 *                           environment variable PASSERELLE_KEYS_MASTER_KEY (a secret store). When set it
 *                           wins over the file, and the file is neither read nor created. It encrypts every
 *                           private key at rest; see {@link MasterKey#load} for the exact loading rules.
 * @param masterKeyFile      {@code master-key-file}: file holding the base64 master key, read when
 *                           {@code master-key} is unset. Created (mode 0600) only on a first start with an
 *                           empty key table, for development; default {@code ./data/master.key}.
 * @param rotationPeriod     {@code rotation-period}: how long one key signs (or is the key upstreams
 *                           encrypt to) before the schedule replaces it; default 90 days. Applies to every
 *                           algorithm. A shorter period limits what one leaked key can sign; each rotation
 *                           adds a key to the JWKS for a while.
 * @param jwksCacheLifetime  {@code jwks-cache-lifetime}: how long portals may cache the JWKS. Sent as
 *                           {@code Cache-Control: public, max-age} on {@code /oauth2/jwks}; a new key is
 *                           published at least this long (plus one scheduler interval) before it signs,
 *                           and a retired key stays published this much longer than its tokens live.
 *                           Default 1 hour.
 * @param maxTokenLifetime   {@code max-token-lifetime}: the longest lifetime of any token the gateway signs
 *                           (at least the largest signed {@code passerelle.tokens.*}). A retired key stays
 *                           published this long after its last signature, so its tokens verify until they
 *                           expire. Default 8 hours.
 * @param schedulerInterval  {@code scheduler-interval}: how often every node runs the rotation schedule
 *                           (publish, activate, retire, remove what is due). Added to the lead and keep
 *                           times as a margin. Default 30 seconds (a tick with nothing due costs one SELECT).
 * @param propagationInterval {@code propagation-interval}: how often every node polls the key table for
 *                           changes made by any node ({@link KeyRingWatcher}): another node stops signing
 *                           with a key revoked here, and publishes a key added here, within about this long
 *                           (one interval plus the poll itself). A revocation with no successor published
 *                           long enough activates its replacement after twice this (see
 *                           {@link KeyPolicy#publishedEverywhere()}). Default 1 second (a poll with no
 *                           change reads kid, state and version of each row: no key material).
 */
@ConfigurationProperties("passerelle.keys")
public record KeyProperties(
        @Nullable String masterKey,
        @DefaultValue("./data/master.key") Path masterKeyFile,
        @DefaultValue("90d") Duration rotationPeriod,
        @DefaultValue("1h") Duration jwksCacheLifetime,
        @DefaultValue("8h") Duration maxTokenLifetime,
        @DefaultValue(KeyProperties.DEFAULT_SCHEDULER_INTERVAL) Duration schedulerInterval,
        @DefaultValue("1s") Duration propagationInterval) {

    public static final String MASTER_KEY_PROPERTY = "passerelle.keys.master-key";
    /** Also the fallback of the {@code @Scheduled} placeholder in {@link KeyRotationJob}. */
    static final String DEFAULT_SCHEDULER_INTERVAL = "30s";

    public KeyProperties {
        // Nulls only when constructed in code; binding always applies the defaults above.
        rotationPeriod = rotationPeriod == null ? Duration.ofDays(90) : rotationPeriod;
        jwksCacheLifetime = jwksCacheLifetime == null ? Duration.ofHours(1) : jwksCacheLifetime;
        maxTokenLifetime = maxTokenLifetime == null ? Duration.ofHours(8) : maxTokenLifetime;
        schedulerInterval = schedulerInterval == null ? Duration.ofSeconds(30) : schedulerInterval;
        propagationInterval = propagationInterval == null ? KeyPolicy.DEFAULT_PROPAGATION_INTERVAL : propagationInterval;
    }

    /** Only the master key settings; the policy takes its defaults (tests and tools). */
    public static KeyProperties masterKeyOnly(@Nullable String masterKey, Path masterKeyFile) {
        return new KeyProperties(masterKey, masterKeyFile, null, null, null, null, null);
    }

    /**
     * The policy these settings describe.
     *
     * @throws KeyRingStartupException when the numbers contradict each other (named in the message)
     */
    public KeyPolicy policy() {
        return new KeyPolicy(rotationPeriod, jwksCacheLifetime, maxTokenLifetime, schedulerInterval, propagationInterval);
    }

    /** Never prints the master key: records print every component, and this one is a secret. */
    @Override
    public String toString() {
        return "KeyProperties[masterKey=" + (masterKey == null ? "unset" : "******")
                + ", masterKeyFile=" + masterKeyFile + ", rotationPeriod=" + rotationPeriod
                + ", jwksCacheLifetime=" + jwksCacheLifetime + ", maxTokenLifetime=" + maxTokenLifetime
                + ", schedulerInterval=" + schedulerInterval + ", propagationInterval=" + propagationInterval + "]";
    }
}

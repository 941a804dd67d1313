package io.passerelle.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.passerelle.keys.KeyAlgorithm;
import io.passerelle.keys.KeyRotation;
import io.passerelle.keys.KeyStatus;

/**
 * Per algorithm, from the key table (read at most every few seconds): how long the ACTIVE key has been
 * signing ({@code passerelle_keys_active_age_seconds{alg}}) and the time left until its scheduled
 * rotation ({@code passerelle_keys_rotation_due_seconds{alg}}, negative once overdue: the alert "key not
 * rotated"). NaN when the algorithm has no active key.
 */
final class KeyGauges {

    private final CachedReading<List<KeyStatus>> keys;
    private final Clock clock;

    KeyGauges(KeyRotation rotation, Clock clock, Duration keep) {
        this.keys = new CachedReading<>(rotation::list, clock, keep);
        this.clock = clock;
    }

    void register(MeterRegistry meters) {
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            String alg = algorithm.id();
            Gauge.builder("passerelle.keys.active.age", this, g -> g.seconds(alg, true)).baseUnit("seconds")
                    .description("How long the active key of this algorithm has been in use").tag("alg", alg)
                    .register(meters);
            Gauge.builder("passerelle.keys.rotation.due", this, g -> g.seconds(alg, false)).baseUnit("seconds")
                    .description("Time until the active key's scheduled rotation (negative: overdue)").tag("alg", alg)
                    .register(meters);
        }
    }

    private double seconds(String alg, boolean age) {
        Instant now = clock.instant();
        return keys.get().stream().filter(k -> k.alg().equals(alg) && "active".equals(k.state())).findFirst()
                .map(k -> age ? secondsBetween(k.activatedAt() != null ? k.activatedAt() : k.createdAt(), now)
                        : k.rotatesAt() == null ? Double.NaN : secondsBetween(now, k.rotatesAt()))
                .orElse(Double.NaN);
    }

    private static double secondsBetween(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}

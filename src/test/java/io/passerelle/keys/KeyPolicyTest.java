package io.passerelle.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class KeyPolicyTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final KeyPolicy POLICY = RingNode.POLICY;

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        KeyPolicy defaults = KeyProperties.masterKeyOnly(null, java.nio.file.Path.of("m.key")).policy();
        assertThat(defaults).isEqualTo(new KeyPolicy(Duration.ofDays(90), Duration.ofHours(1), Duration.ofHours(8),
                Duration.ofSeconds(30)));
        assertThat(defaults.publishLead()).isEqualTo(Duration.ofHours(1).plusSeconds(30));
        assertThat(defaults.retiredKeep()).isEqualTo(Duration.ofHours(9).plusSeconds(30));
        assertThat(POLICY.publishLead()).as("the tests' 5-minute scheduler").isEqualTo(Duration.ofMinutes(65));
    }

    @Test
    void datesFollowFromTheRow() {
        StoredKey active = key(KeyState.ACTIVE, T0, null, null);
        assertThat(POLICY.rotatesAt(active)).isEqualTo(T0.plus(Duration.ofDays(90)));
        assertThat(POLICY.publishNextAt(active)).isEqualTo(T0.plus(Duration.ofDays(90)).minus(POLICY.publishLead()));
        // An operator's early end wins; a later one (period shortened since) does not.
        assertThat(POLICY.rotatesAt(key(KeyState.ACTIVE, T0, T0.plus(Duration.ofDays(3)), null)))
                .isEqualTo(T0.plus(Duration.ofDays(3)));
        assertThat(POLICY.rotatesAt(key(KeyState.ACTIVE, T0, T0.plus(Duration.ofDays(300)), null)))
                .isEqualTo(T0.plus(Duration.ofDays(90)));
        assertThat(POLICY.activatableAt(key(KeyState.NEXT, null, null, null))).isEqualTo(T0.plus(POLICY.publishLead()));
        assertThat(POLICY.removeAt(key(KeyState.RETIRED, T0, null, T0))).isEqualTo(T0.plus(POLICY.retiredKeep()));
        assertThat(POLICY.removeAt(key(KeyState.REVOKED, T0, null, T0))).as("revoked rows stay as a record").isNull();
    }

    @Test
    void contradictoryNumbersStopTheStartNamingTheProperty() {
        assertThatThrownBy(() -> new KeyPolicy(Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(8), Duration.ofMinutes(5)))
                .isInstanceOf(KeyRingStartupException.class).hasMessageContaining("rotation-period");
        assertThatThrownBy(() -> new KeyPolicy(Duration.ofDays(800), Duration.ofHours(1), Duration.ofHours(8), Duration.ofMinutes(5)))
                .isInstanceOf(KeyRingStartupException.class).hasMessageContaining("certificate");
        assertThatThrownBy(() -> new KeyPolicy(Duration.ofDays(90), Duration.ZERO, Duration.ofHours(8), Duration.ofMinutes(5)))
                .isInstanceOf(KeyRingStartupException.class).hasMessageContaining("jwks-cache-lifetime");
        assertThatThrownBy(() -> new KeyPolicy(Duration.ofDays(90), Duration.ofHours(1), Duration.ofHours(-8), Duration.ofMinutes(5)))
                .isInstanceOf(KeyRingStartupException.class).hasMessageContaining("max-token-lifetime");
    }

    private static StoredKey key(KeyState state, Instant activatedAt, Instant retireAt, Instant retiredAt) {
        return new StoredKey("kid", KeyAlgorithm.RS256, state, "{}", "sealed", T0, activatedAt, retireAt, retiredAt, 0);
    }
}

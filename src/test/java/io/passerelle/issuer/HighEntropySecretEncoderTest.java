package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Salted SHA-256 for high-entropy portal secrets: salted, verifiable, and nothing else matches. */
class HighEntropySecretEncoderTest {

    private final HighEntropySecretEncoder encoder = new HighEntropySecretEncoder();
    private final String secret = "s3cr3t-of-at-least-thirty-two-random-chars";

    @Test
    void matchesItsOwnEncodingOnly() {
        String encoded = encoder.encode(secret);
        assertThat(encoder.matches(secret, encoded)).isTrue();
        assertThat(encoder.matches(secret + "x", encoded)).isFalse();
        assertThat(encoder.matches(secret, "not-an-encoding")).isFalse();
        assertThat(encoder.matches(secret, "!!$!!")).isFalse();
    }

    @Test
    void everyEncodingIsSalted() {
        assertThat(encoder.encode(secret)).isNotEqualTo(encoder.encode(secret));
    }
}

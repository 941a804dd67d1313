package io.passerelle.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Label values from audit fields: fixed lists and short codes only, so the series stay bounded. */
class LabelsTest {

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "'unavailable: Discovery: provider unreachable: HttpTimeoutException', unavailable",
            "'loa-not-met: achieved low', loa-not-met",
            "'Some free text from elsewhere', other",
            "'expired', expired",
            "'a-code-that-is-far-too-long-to-be-one-of-ours-really: x', other",
            "NULL, none"})
    void reasonIsTheCodeBeforeTheColon(String reason, String label) {
        assertThat(Labels.reason(reason)).isEqualTo(label);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {"high, high", "substantial, substantial", "HIGH, other", "NULL, none"})
    void loaFromTheFixedList(String loa, String label) {
        assertThat(Labels.loa(loa)).isEqualTo(label);
    }

    @ParameterizedTest
    @CsvSource({"authorization_code, authorization_code", "refresh_token, refresh_token",
            "urn:ietf:params:oauth:grant-type:jwt-bearer, other"})
    void grantTypeFromTheFixedList(String grantType, String label) {
        assertThat(Labels.grantType(grantType)).isEqualTo(label);
    }
}

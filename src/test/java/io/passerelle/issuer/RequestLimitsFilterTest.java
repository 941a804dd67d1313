package io.passerelle.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** RFC 6749 3.1/3.2 (no repeated parameters) and the size bounds of {@link RequestLimitsFilter}. */
class RequestLimitsFilterTest {

    @Test
    void ordinaryRequestPasses() {
        assertThat(RequestLimitsFilter.problem(Map.of("scope", new String[] {"openid profile"},
                "client_assertion", new String[] {"x".repeat(5000)}))).isNull();
    }

    @Test
    void repeatedParameterIsRefused() {
        assertThat(RequestLimitsFilter.problem(Map.of("scope", new String[] {"openid", "openid"})))
                .isEqualTo("parameter scope is repeated");
    }

    @Test
    void oversizedValuesAreRefused() {
        assertThat(RequestLimitsFilter.problem(Map.of("state", new String[] {"s".repeat(2049)})))
                .isEqualTo("parameter state is too long");
        assertThat(RequestLimitsFilter.problem(Map.of("client_assertion", new String[] {"j".repeat(16_385)})))
                .isEqualTo("parameter client_assertion is too long");
    }

    @Test
    void tooManyOrMalformedNamesAreRefused() {
        Map<String, String[]> many = new LinkedHashMap<>();
        for (int i = 0; i <= RequestLimitsFilter.MAX_PARAMETERS; i++) {
            many.put("p" + i, new String[] {"v"});
        }
        assertThat(RequestLimitsFilter.problem(many)).isEqualTo("too many parameters");
        assertThat(RequestLimitsFilter.problem(Map.of("a<b", new String[] {"v"}))).isEqualTo("malformed parameter name");
    }
}

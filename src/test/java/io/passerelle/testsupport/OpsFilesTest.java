package io.passerelle.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The metric names read from PromQL, on which the dashboard and alert checks rest (so they cannot pass vacuously). */
class OpsFilesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "histogram_quantile(0.95, sum by (le, connector) (rate(passerelle_upstream_requests_seconds_bucket{connector=~\"$connector\"}[5m]))) > 2"
                    + " | passerelle_upstream_requests_seconds_bucket",
            "sum(rate(a_total{status=~\"5..\"}[5m])) / sum(rate(b_seconds_count[5m])) > 0.05 | a_total b_seconds_count",
            "passerelle_keys_rotation_due_seconds < -3600 | passerelle_keys_rotation_due_seconds",
            "sum by (connector) (rate(x_total{reason!=\"cancelled\"}[10m])) / on(connector) group_left sum(y) | x_total y",
            "passerelle_login_records{state=\"stored\"} > 1e5 and up | passerelle_login_records up"})
    void namesTheMetricsOfAnExpression(String expression, String metrics) {
        assertThat(OpsFiles.metricNames(expression)).containsExactly(metrics.trim().split(" "));
    }
}

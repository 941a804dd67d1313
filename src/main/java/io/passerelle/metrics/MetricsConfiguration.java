package io.passerelle.metrics;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.passerelle.broker.LoginTransactionStore;
import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.keys.KeyRotation;
import io.passerelle.portal.PortalRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Passerelle's own metrics on the Prometheus endpoint ({@code /actuator/prometheus}, README "Metrics"):
 * counters from the audit events, key and stored-state gauges; the upstream latency is timed by the
 * connectors themselves. Nothing imports this package.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    /** How long a gauge's database reading is reused. */
    static final Duration GAUGE_CACHE = Duration.ofSeconds(5);

    @Bean
    Labels metricLabels(ObjectProvider<PortalRegistry> portals, ObjectProvider<ConnectorRegistry> connectors) {
        return new Labels(portals, connectors);
    }

    @Bean
    AuditMetrics auditMetrics(MeterRegistry meters, Labels labels) {
        return new AuditMetrics(meters, labels);
    }

    /** Registered once every bean exists: the gauges read the key table and the portals are loaded. */
    @Bean
    SmartInitializingSingleton passerelleGauges(MeterRegistry meters, KeyRotation rotation,
                                                LoginTransactionStore transactions, JdbcClient jdbc, Clock clock,
                                                Environment environment, PortalRegistry portals,
                                                AuditMetrics auditMetrics) {
        return () -> {
            new KeyGauges(rotation, clock, GAUGE_CACHE).register(meters);
            boolean jdbcSessions = "jdbc".equals(environment.getProperty("passerelle.sessions.store", "jdbc"));
            new StoredStateGauges(transactions, jdbc, clock, GAUGE_CACHE).register(meters, jdbcSessions);
            portals.portals().forEach(auditMetrics::registerPortal);
        };
    }
}

package io.passerelle.audit;

import java.time.Clock;

import io.passerelle.retention.ExpiredRows;
import io.passerelle.retention.RetentionProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RetentionProperties.class)
public class AuditConfiguration {

    /** Audit events past {@code passerelle.retention.audit-events}, deleted by the purge (package retention). */
    @Bean
    ExpiredRows expiredAuditEvents(RetentionProperties retention) {
        return JdbcAuditLog.expiredRows(retention.auditEvents());
    }

    @Bean
    AuditLog auditLog(JdbcClient jdbc, Clock clock, ObjectProvider<AuditListener> listeners) {
        return new JdbcAuditLog(jdbc, clock, listeners.orderedStream().toList());
    }
}

package io.passerelle.consent;

import java.time.Clock;

import io.passerelle.audit.AuditLog;
import io.passerelle.identity.AttributeSeal;
import io.passerelle.retention.ExpiredRows;
import io.passerelle.retention.RetentionProperties;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsentProperties.class)
public class ConsentConfiguration {

    @Bean
    ConsentLedger consentLedger(JdbcClient jdbc) {
        return new JdbcConsentLedger(jdbc);
    }

    /** Data-release receipts past {@code passerelle.retention.data-releases}, deleted by the purge. */
    @Bean
    ExpiredRows expiredDataReleases(RetentionProperties retention) {
        return JdbcConsentLedger.expiredReceipts(retention.dataReleases());
    }

    @Bean
    ConsentDecisions consentDecisions(ConsentLedger ledger, PortalGrants grants, AuditLog audit, Clock clock,
                                      ConsentProperties properties, AttributeSeal seal) {
        return new ConsentDecisions(ledger, grants, audit, clock, properties.lifetime(), seal);
    }
}

package io.passerelle.consent;

import java.time.Clock;

import io.passerelle.audit.AuditLog;
import io.passerelle.identity.AttributeSeal;
import io.passerelle.portal.PortalRegistry;

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

    @Bean
    ConsentDecisions consentDecisions(ConsentLedger ledger, PortalGrants grants, AuditLog audit, Clock clock,
                                      ConsentProperties properties, AttributeSeal seal) {
        return new ConsentDecisions(ledger, grants, audit, clock, properties.lifetime(), seal);
    }

    @Bean
    ConsentPolicy consentPolicy(PortalRegistry portals, ConsentLedger ledger, Clock clock, ConsentProperties properties,
                                AttributeSeal seal) {
        return new ConsentPolicy(portals::portal, ledger, clock, properties.questionTimeout(), seal);
    }
}

package io.passerelle.broker;

import java.time.Clock;
import java.time.Duration;

import io.passerelle.audit.AuditLog;
import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.identity.CitizenDirectory;
import io.passerelle.config.IssuerProperties;

import io.passerelle.retention.ExpiredRows;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import io.passerelle.identity.AttributeSeal;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BrokerConfiguration.BrokerProperties.class)
public class BrokerConfiguration {

    /** @param loginTimeout how long a citizen may take upstream before the login must start again */
    @ConfigurationProperties("passerelle.broker")
    public record BrokerProperties(@DefaultValue("10m") Duration loginTimeout) {
    }

    @Bean
    LoginTransactionStore loginTransactionStore(JdbcClient jdbc, Clock clock) {
        return new LoginTransactionStore(jdbc, clock);
    }

    /** Expired logins, and the previous version's used or expired login transactions, deleted by the purge. */
    @Bean
    ExpiredRows expiredLogins() {
        return LoginTransactionStore.expiredRows().get(0);
    }

    @Bean
    ExpiredRows usedLegacyLoginTransactions() {
        return LoginTransactionStore.expiredRows().get(1);
    }

    @Bean
    ExpiredRows expiredLegacyLoginTransactions() {
        return LoginTransactionStore.expiredRows().get(2);
    }

    @Bean
    Broker broker(ConnectorRegistry connectors, LoginTransactionStore transactions, CitizenDirectory citizens,
                  AuditLog audit, Clock clock, BrokerProperties properties, AttributeSeal seal,
                  io.passerelle.portal.PortalRegistry portals) {
        return new Broker(connectors, transactions, citizens, audit, clock, properties.loginTimeout(), seal, portals);
    }

    /** Its own key, derived from the master key: sessions and stored authorizations hold attributes sealed. */
    @Bean
    AttributeSeal attributeSeal(io.passerelle.keys.MasterKey masterKey) {
        return new AttributeSeal(masterKey.derive("citizen-attributes"));
    }

    /** Secure whenever the issuer is https (behind a TLS-terminating proxy the request itself may say http). */
    @Bean
    BrowserCookie browserCookie(IssuerProperties issuer) {
        return new BrowserCookie("https".equals(issuer.issuer().getScheme()));
    }

    @Bean
    SignInRedirect signInRedirect(ConnectorRegistry connectors, io.passerelle.portal.PortalRegistry portals,
                                  Broker broker, BrowserCookie cookie,
                                  org.springframework.web.servlet.LocaleResolver locales) {
        return new SignInRedirect(connectors, portals, broker, cookie, locales);
    }
}

package io.passerelle.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.passerelle.audit.AuditLog;
import io.passerelle.connector.ConnectorFactory;
import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.identity.CitizenDirectory;
import io.passerelle.config.IssuerProperties;

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
    ConnectorRegistry connectorRegistry(IssuerProperties issuer, List<ConnectorFactory> factories) {
        return ConnectorRegistry.load(issuer.configFolders("connectors"), issuer.issuerId(), factories);
    }

    @Bean
    LoginTransactionStore loginTransactionStore(JdbcClient jdbc, Clock clock) {
        return new LoginTransactionStore(jdbc, clock);
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

    @Bean
    LoginPolicyValidator loginPolicyValidator(ConnectorRegistry connectors, io.passerelle.portal.PortalRegistry portals,
                                              Clock clock) {
        KeyChoice.checkAllowedKeys(portals.portals(), connectors);
        return new LoginPolicyValidator(connectors, portals, clock);
    }

    @Bean
    SignInRedirect signInRedirect(ConnectorRegistry connectors, io.passerelle.portal.PortalRegistry portals) {
        return new SignInRedirect(connectors, portals);
    }
}

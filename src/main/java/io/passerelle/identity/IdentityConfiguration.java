package io.passerelle.identity;

import java.time.Clock;
import java.util.List;

import io.passerelle.connector.ConnectorRegistry;
import io.passerelle.keys.MasterKey;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
public class IdentityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IdentityConfiguration.class);

    /** The link key is derived from the master key: one secret to keep, and it never leaves memory. */
    @Bean
    CitizenDirectory citizenDirectory(JdbcClient jdbc, Clock clock, MasterKey masterKey) {
        return new CitizenDirectory(jdbc, clock, masterKey.derive("identity-link"));
    }

    /** Derived from the master key too: the same citizen keeps the same pairwise subject across restarts. */
    @Bean
    PairwiseSubjects pairwiseSubjects(MasterKey masterKey) {
        return new PairwiseSubjects(masterKey.derive("pairwise-subject"));
    }

    /**
     * Connectors citizens are linked through that have no file here: their links are kept (another node may
     * serve the connector, or its file may come back), and named so that configuration drift is seen.
     * Nothing else is keyed by a connector for long: login transactions expire within the login timeout.
     */
    @Bean
    ApplicationRunner unservedConnectorsReport(CitizenDirectory citizens, ConnectorRegistry connectors) {
        return arguments -> {
            List<String> unserved = citizens.linkedConnectors().stream()
                    .filter(id -> connectors.find(id).isEmpty()).toList();
            if (!unserved.isEmpty()) {
                log.warn("citizens are linked through connectors this node does not serve (no enabled file in its "
                        + "connectors folders): {}; their links are kept", unserved);
            }
        };
    }
}

package io.passerelle.identity;

import java.time.Clock;

import io.passerelle.keys.MasterKey;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
public class IdentityConfiguration {

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
}

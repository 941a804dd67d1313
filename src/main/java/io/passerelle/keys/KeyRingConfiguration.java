package io.passerelle.keys;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wires the key ring. The beans are created eagerly at start-up, so a missing or wrong master key stops
 * the start with {@link KeyRingStartupException}'s message instead of failing the first login.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeyProperties.class)
public final class KeyRingConfiguration {

    /** Flyway must have created {@code signing_key} before the master key checks whether it is empty. */
    @Bean
    @DependsOnDatabaseInitialization
    JdbcKeyRepository keyRepository(JdbcClient jdbcClient) {
        return new JdbcKeyRepository(jdbcClient);
    }

    @Bean
    MasterKey masterKey(KeyProperties properties, KeyRepository keyRepository) {
        return MasterKey.load(properties, keyRepository);
    }

    @Bean
    KeyRing keyRing(KeyRepository keyRepository, MasterKey masterKey, Clock clock) {
        return new KeyRing(keyRepository, masterKey, clock);
    }
}

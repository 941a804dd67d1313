package io.passerelle.keys;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.passerelle.audit.AuditLog;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the key ring. The beans are created eagerly at start-up, so a missing or wrong master key, or a
 * key policy whose numbers contradict each other, stops the start with {@link KeyRingStartupException}'s
 * message instead of failing the first login.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeyProperties.class)
public final class KeyRingConfiguration {

    /** The lifetimes of the tokens the ring signs (codes and refresh tokens are opaque, not signed). */
    private static final List<String> SIGNED_TOKENS = List.of("passerelle.tokens.access-token",
            "passerelle.tokens.id-token");

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
    KeyRing keyRing(KeyProperties properties, KeyRepository keyRepository, MasterKey masterKey, Clock clock,
                    AuditLog audit, Environment environment) {
        // The policy first: contradictory settings must stop the start before any key is generated.
        properties.policy();
        checkSignedTokenLifetimes(properties, Binder.get(environment));
        return new KeyRing(keyRepository, masterKey, clock, audit, properties.policy().signingWait());
    }

    /**
     * A retired key leaves the JWKS max-token-lifetime after its last signature: a signed token living longer
     * would stop verifying before it expires. Read by name, so the key ring needs no issuer types.
     */
    static void checkSignedTokenLifetimes(KeyProperties properties, Binder binder) {
        for (String token : SIGNED_TOKENS) {
            binder.bind(token, Duration.class).ifBound(lifetime -> {
                if (lifetime.compareTo(properties.maxTokenLifetime()) > 0) {
                    throw new KeyRingStartupException(token + " (" + lifetime + ") is longer than"
                            + " passerelle.keys.max-token-lifetime (" + properties.maxTokenLifetime() + "): retired keys"
                            + " would leave the JWKS while tokens they signed are still valid. Raise max-token-lifetime.");
                }
            });
        }
    }

    @Bean
    KeyRotation keyRotation(KeyRing keyRing, KeyRepository keyRepository, KeyProperties properties, Clock clock,
                            AuditLog audit, PlatformTransactionManager transactionManager) {
        return new KeyRotation(keyRing, keyRepository, properties.policy(), clock, audit,
                new TransactionTemplate(transactionManager));
    }

    /** Scheduled only where {@code @EnableScheduling} is on: the gateway, not the CLI. */
    @Bean
    KeyRotationJob keyRotationJob(KeyRotation keyRotation) {
        return new KeyRotationJob(keyRotation);
    }

    /**
     * Follows key changes made by any node within {@code passerelle.keys.propagation-interval}. Only in the
     * gateway (a web application): the {@code keys} CLI changes the table and exits.
     */
    @Bean
    @ConditionalOnWebApplication
    KeyRingWatcher keyRingWatcher(KeyRing keyRing, KeyProperties properties) {
        return new KeyRingWatcher(keyRing, properties.propagationInterval());
    }

    /** For the issuer's introspection and userinfo paths; see {@link RevokedKeyIntrospection}. */
    @Bean
    RevokedKeys revokedKeys(KeyRepository keyRepository) {
        return new RevokedKeys(keyRepository);
    }

    /** Ahead of Spring Security's filter, which would otherwise mark the JWKS {@code no-store}. */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    FilterRegistrationBean<JwksCacheControlFilter> jwksCacheControlFilter(KeyProperties properties,
            ObjectProvider<AuthorizationServerSettings> settings) {
        FilterRegistrationBean<JwksCacheControlFilter> registration =
                new FilterRegistrationBean<>(new JwksCacheControlFilter(properties.jwksCacheLifetime()));
        AuthorizationServerSettings server = settings.getIfAvailable();
        registration.addUrlPatterns(server != null ? server.getJwkSetEndpoint() : "/oauth2/jwks");
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }
}

package io.passerelle.keys.admin;

import java.time.Clock;

import io.passerelle.issuer.ClientAssertionReplayStore;
import io.passerelle.config.IssuerProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The key admin API's own filter chain, for {@code /admin/**} only. Order -1: before the catch-all citizen
 * chain (2), independent of the operations chain (0, {@code /actuator/**}) and the OAuth endpoints (1),
 * which never match {@code /admin/**}.
 *
 * <p>Every call but the OpenAPI document needs a fresh admin assertion as bearer token (see
 * {@link AdminAssertionDecoder}); without configured admin keys every call gets 401. Stateless and without
 * CSRF tokens: no cookie is ever issued or read here, so a browser cannot be made to call it on its own.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdminProperties.class)
public final class AdminSecurityConfiguration {

    /** The admin API's identifier, appended to the issuer: the {@code aud} every admin assertion must carry. */
    public static final String AUDIENCE_PATH = "/admin";

    @Bean
    @Order(-1)
    SecurityFilterChain adminChain(HttpSecurity http, AdminProperties admin, IssuerProperties issuer,
                                   ClientAssertionReplayStore replayStore, Clock clock) {
        AdminAssertionDecoder assertions = AdminAssertionDecoder.create(AdminKeys.load(admin, issuer.configDir()),
                admin.clientId(), issuer.issuerId() + AUDIENCE_PATH, replayStore, clock);
        http.securityMatcher("/admin/**")
                .authorizeHttpRequests(authorize -> authorize
                        // The description of the API holds nothing secret; callers generate clients from it.
                        .requestMatchers(HttpMethod.GET, KeyAdminController.OPENAPI_PATH).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.decoder(assertions)))
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable());
        return http.build();
    }
}

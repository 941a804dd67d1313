package io.passerelle.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.util.StringUtils;

import io.passerelle.authorize.Interactions;
import io.passerelle.issuer.IssuerSecurityConfiguration;
import io.passerelle.issuer.PendingLogout;
import io.passerelle.issuer.SecurityHeaders;

/**
 * Security of everything that is not an OAuth endpoint: the citizen pages and the operations
 * endpoints. Citizen pages get CSRF protection (Spring's default) and {@link SecurityHeaders}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebSecurityConfiguration.MetricsProperties.class)
public class WebSecurityConfiguration {

    /**
     * Load balancers probe health without credentials (no details are shown); Prometheus scrapes
     * metrics with HTTP Basic as user {@code metrics} and the password of
     * {@code passerelle.metrics.password} (env PASSERELLE_METRICS_PASSWORD); without one, metrics are
     * closed. Every other actuator endpoint is closed.
     */
    @Bean
    @Order(0)
    SecurityFilterChain operationsChain(HttpSecurity http, MetricsProperties metrics, PasswordEncoder encoder) {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        if (StringUtils.hasText(metrics.password())) {
            UserDetails scraper = User.withUsername("metrics").password(encoder.encode(metrics.password()))
                    .roles("METRICS").build();
            users.createUser(scraper);
        }
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(encoder);
        http.securityMatcher("/actuator/**")
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/prometheus").hasRole("METRICS")
                        .anyRequest().denyAll())
                .authenticationManager(new ProviderManager(provider))
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    /**
     * Sign-ins and authorization decisions stay observed (metrics of failures), but not every filter of
     * every request: those observations cost about 5% of a login's CPU (measured with the login benchmark).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.withDefaults().shouldObserveRequests(false).build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain citizenPagesChain(HttpSecurity http) {
        http.authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(IssuerSecurityConfiguration.SIGN_IN_PAGE,
                                IssuerSecurityConfiguration.SIGN_IN_PAGE + "/*", "/broker/**", "/error",
                                // The consent and account pages check the citizen's sign-in themselves, to
                                // explain in the citizen's language rather than bounce to the key chooser.
                                Interactions.CONSENT_PAGE, PendingLogout.CONFIRM_PAGE, PendingLogout.DONE_PAGE,
                                AccountController.ACCOUNT_PAGE, AccountController.ACCOUNT_PAGE + "/**", "/css/**", "/img/**",
                                "/favicon.ico").permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(
                        new LoginUrlAuthenticationEntryPoint(IssuerSecurityConfiguration.SIGN_IN_PAGE)))
                .headers(SecurityHeaders.ALL);
        return http.build();
    }

    /** @param password the metrics scraper's password (HTTP Basic, user {@code metrics}); blank closes metrics */
    @ConfigurationProperties("passerelle.metrics")
    record MetricsProperties(String password) {
    }
}

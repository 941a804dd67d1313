package io.passerelle.demo;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * DEMO ONLY, and only with {@code passerelle.demo.enabled: true}: the routes of the demo portal and the
 * demo provider are open (they are the "outside world" of the demo); the provider's token endpoint and
 * the portal's back-channel logout endpoint are called by the gateway, not a browser, so they carry no
 * CSRF token.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "passerelle.demo.enabled", havingValue = "true")
public class DemoConfiguration {

    /** The demo eID card: its PKI, and the eID listener's and demo connector's properties (see the class). */
    @Bean
    static DemoEidSetup demoEidSetup() {
        return new DemoEidSetup();
    }

    @Bean
    @Order(-20)
    SecurityFilterChain demoChain(HttpSecurity http) {
        http.securityMatcher("/demo/**")
                .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
                .headers(io.passerelle.issuer.SecurityHeaders.ALL)
                .csrf(csrf -> csrf.ignoringRequestMatchers(DemoIdentityProvider.PATH + "/token",
                        DemoPortal.PATH + "/backchannel-logout"));
        return http.build();
    }
}

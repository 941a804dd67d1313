package io.passerelle.identity;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
public class IdentityConfiguration {

    @Bean
    CitizenDirectory citizenDirectory(JdbcClient jdbc, Clock clock) {
        return new CitizenDirectory(jdbc, clock);
    }
}

package io.passerelle.availability;

import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.context.annotation.Configuration;

/** How Passerelle behaves while its database is away: fail fast, say so, recover by itself. */
@Configuration(proxyBeanMethods = false)
public class AvailabilityConfiguration {

    /**
     * In front of Spring Session's filter (and so of Spring Security's chain): it sees what any chain lets
     * through, and a session that cannot be loaded or saved because the shared store is the database.
     */
    static final int FILTER_ORDER = SessionRepositoryFilter.DEFAULT_ORDER - 1;

    @Bean
    FilterRegistrationBean<DatabaseOutageFilter> databaseOutageFilter() {
        FilterRegistrationBean<DatabaseOutageFilter> registration = new FilterRegistrationBean<>(new DatabaseOutageFilter());
        registration.setOrder(FILTER_ORDER);
        return registration;
    }

    /** Named so that it replaces Spring Boot's unbounded {@code db} indicator (same name, same place in health). */
    @Bean
    BoundedDatabaseHealth dbHealthIndicator(DataSource dataSource) {
        Duration validation = dataSource instanceof HikariDataSource hikari
                ? Duration.ofMillis(hikari.getValidationTimeout()) : Duration.ofSeconds(1);
        return new BoundedDatabaseHealth(dataSource, validation);
    }
}

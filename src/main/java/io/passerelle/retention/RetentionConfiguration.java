package io.passerelle.retention;

import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The purge runs over every {@link ExpiredRows} bean the owning packages declare. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RetentionProperties.class)
public class RetentionConfiguration {

    @Bean
    RetentionJob retentionJob(DataSource dataSource, List<ExpiredRows> tables, RetentionProperties properties,
                              Clock clock, MeterRegistry meters) {
        return new RetentionJob(dataSource, tables, properties, clock, meters);
    }
}

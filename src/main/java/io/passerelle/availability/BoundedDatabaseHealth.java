package io.passerelle.availability;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The readiness group's {@code db} check, bounded: borrowing a connection is bounded by the pool's
 * connection-timeout, and the check itself by {@code isValid} with the pool's validation-timeout.
 * Spring Boot's own check calls {@code isValid(0)}, which pgjdbc runs without any timeout: on a
 * half-dead TCP connection readiness would hang instead of saying DOWN.
 */
public final class BoundedDatabaseHealth extends AbstractHealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(BoundedDatabaseHealth.class);

    private final DataSource dataSource;
    private final int validSeconds;

    public BoundedDatabaseHealth(DataSource dataSource, Duration validationTimeout) {
        super("database check failed");
        this.dataSource = dataSource;
        // JDBC's isValid takes whole seconds; 0 would mean no limit at all.
        this.validSeconds = (int) Math.max(1, validationTimeout.toSeconds());
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isValid(validSeconds)) {
                builder.up();
            } else {
                builder.down();
            }
        } catch (SQLException | RuntimeException failure) {
            // One line: a load balancer probes every few seconds, and the pool already logged the cause.
            log.warn("readiness: database DOWN: {}", failure.toString());
            builder.down();
        }
    }
}

package io.passerelle.metrics;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.passerelle.broker.LoginTransactionStore;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Counts of what lives in the database, each read at most every few seconds:
 * {@code passerelle_login_records{state}} (in flight: unused and unexpired; stored: every row the purge
 * has not deleted yet) and, with the sessions in the database, {@code passerelle_sessions} (unexpired
 * browser sessions of Spring Session's table; with Redis the store itself is the place to look).
 */
final class StoredStateGauges {

    private final CachedReading<long[]> logins;
    private final CachedReading<Long> sessions;

    StoredStateGauges(LoginTransactionStore transactions, JdbcClient jdbc, Clock clock, Duration keep) {
        this.logins = new CachedReading<>(transactions::counts, clock, keep);
        this.sessions = new CachedReading<>(() -> jdbc.sql("SELECT COUNT(*) FROM spring_session WHERE expiry_time > ?")
                .param(clock.millis()).query(Long.class).single(), clock, keep);
    }

    void register(MeterRegistry meters, boolean sessionsInDatabase) {
        Gauge.builder("passerelle.login.records", logins, c -> c.get()[0]).tag("state", "in_flight")
                .description("Logins in flight (unused, unexpired login records)").register(meters);
        Gauge.builder("passerelle.login.records", logins, c -> c.get()[1]).tag("state", "stored")
                .description("Login records in the table, purged or not yet").register(meters);
        if (sessionsInDatabase) {
            Gauge.builder("passerelle.sessions", sessions, CachedReading::get)
                    .description("Unexpired browser sessions in the shared store").register(meters);
        }
    }
}

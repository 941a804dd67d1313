package io.passerelle.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A value read from the database for a gauge, kept for a few seconds: every scrape (several Prometheus
 * servers, a person reloading a dashboard) then costs at most one query per interval.
 */
final class CachedReading<T> {

    private final Supplier<T> read;
    private final Clock clock;
    private final Duration keep;
    private T value;
    private Instant readAt;

    CachedReading(Supplier<T> read, Clock clock, Duration keep) {
        this.read = read;
        this.clock = clock;
        this.keep = keep;
    }

    synchronized T get() {
        Instant now = clock.instant();
        if (readAt == null || !now.isBefore(readAt.plus(keep))) {
            value = read.get();
            readAt = now;
        }
        return value;
    }
}

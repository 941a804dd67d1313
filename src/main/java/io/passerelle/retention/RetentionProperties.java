package io.passerelle.retention;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code passerelle.retention.*}: the background purge of expired rows and how long audit events and
 * data-release receipts are kept. Documented in config/application.yml and README ("Retention").
 *
 * @param enabled          run the purge on this node (every node may; batches are safe concurrently)
 * @param interval         pause between two runs
 * @param batchSize        rows deleted per statement: small, so a statement holds its row locks briefly
 * @param maxBatches       batches per table per run, so one run ends even when a backlog is large
 * @param statementTimeout a batch that takes longer is cancelled (and retried next run)
 * @param auditEvents      how long audit events are kept (zero: forever)
 * @param dataReleases     how long the citizen's data-release receipts are kept (zero: forever)
 */
@ConfigurationProperties("passerelle.retention")
public record RetentionProperties(@DefaultValue("true") boolean enabled,
                                  @DefaultValue("1m") Duration interval,
                                  @DefaultValue("500") int batchSize,
                                  @DefaultValue("100") int maxBatches,
                                  @DefaultValue("2s") Duration statementTimeout,
                                  @DefaultValue("365d") Duration auditEvents,
                                  @DefaultValue("365d") Duration dataReleases) {

    public RetentionProperties {
        positive("interval", interval);
        positive("statement-timeout", statementTimeout);
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("passerelle.retention.batch-size: between 1 and 10000, not " + batchSize);
        }
        if (maxBatches < 1) {
            throw new IllegalArgumentException("passerelle.retention.max-batches: at least 1, not " + maxBatches);
        }
        notNegative("audit-events", auditEvents);
        notNegative("data-releases", dataReleases);
    }

    /** The defaults, for tests and the CLI. */
    public static RetentionProperties defaults() {
        return new RetentionProperties(true, Duration.ofMinutes(1), 500, 100, Duration.ofSeconds(2),
                Duration.ofDays(365), Duration.ofDays(365));
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("passerelle.retention." + name + ": a positive duration, not " + value);
        }
    }

    private static void notNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException("passerelle.retention." + name + ": zero (keep forever) or a positive duration, not " + value);
        }
    }
}

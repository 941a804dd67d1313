package io.passerelle.retention;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Deletes expired rows in the background, in small batches of {@code batch-size} rows, each its own
 * statement and transaction under a statement timeout: a batch holds its row locks for milliseconds, so
 * logins writing the same tables never wait long. Every node may run it at the same time: two nodes
 * picking the same rows delete them once (the second finds them gone), and a batch that fails (a lock
 * timeout, a deadlock between nodes) is simply left for the next run.
 */
public final class RetentionJob {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    private final JdbcTemplate jdbc;
    private final List<ExpiredRows> tables;
    private final RetentionProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;

    public RetentionJob(DataSource dataSource, List<ExpiredRows> tables, RetentionProperties properties, Clock clock,
                        MeterRegistry meters) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout((int) Math.max(1, properties.statementTimeout().toSeconds()));
        this.tables = List.copyOf(tables);
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
        // Every series at zero from the start, so that a dashboard shows the purge before its first run.
        this.tables.forEach(this::counter);
    }

    private Counter counter(ExpiredRows rows) {
        return Counter.builder("passerelle.retention.purged").description("Expired rows deleted")
                .tag("rows", rows.name()).register(meters);
    }

    @Scheduled(initialDelayString = "${passerelle.retention.interval:1m}",
            fixedDelayString = "${passerelle.retention.interval:1m}")
    public void scheduled() {
        if (properties.enabled()) {
            run();
        }
    }

    /** One run over every table; the rows deleted per {@link ExpiredRows#name()}. */
    public Map<String, Integer> run() {
        Instant now = clock.instant();
        Map<String, Integer> deleted = new LinkedHashMap<>();
        for (ExpiredRows rows : tables) {
            Optional<Instant> cutoff = rows.cutoff().apply(now);
            if (cutoff.isPresent()) {
                deleted.put(rows.name(), purge(rows, rows.epochMillis() ? cutoff.get().toEpochMilli()
                        : Timestamp.from(cutoff.get())));
            }
        }
        if (deleted.values().stream().anyMatch(n -> n > 0)) {
            log.info("purged expired rows {}", deleted);
        }
        return deleted;
    }

    private int purge(ExpiredRows rows, Object cutoff) {
        String sql = rows.deleteBatch();
        Counter counter = counter(rows);
        int total = 0;
        for (int batch = 0; batch < properties.maxBatches(); batch++) {
            int n;
            try {
                n = jdbc.update(sql, cutoff, properties.batchSize());
            } catch (DataAccessException busy) {
                log.warn("purge of {} stopped after {} rows, next run continues: {}", rows.name(), total,
                        busy.getMostSpecificCause().getMessage());
                break;
            }
            total += n;
            counter.increment(n);
            if (n < properties.batchSize()) {
                break;
            }
        }
        return total;
    }
}

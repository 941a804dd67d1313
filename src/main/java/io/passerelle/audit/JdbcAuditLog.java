package io.passerelle.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.passerelle.retention.ExpiredRows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Audit events in the database (shared by every node), each also written to the log category
 * {@code passerelle.audit} so that a log pipeline can ship them. Inserts only.
 */
public final class JdbcAuditLog implements AuditLog {

    private static final Logger log = LoggerFactory.getLogger("passerelle.audit");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TimeOrderedIds ids;
    private final List<AuditListener> listeners;

    public JdbcAuditLog(JdbcClient jdbc, Clock clock) {
        this(jdbc, clock, List.of());
    }

    /** @param listeners told of each event after it is stored (the metrics) */
    public JdbcAuditLog(JdbcClient jdbc, Clock clock, List<AuditListener> listeners) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ids = new TimeOrderedIds(clock);
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public AuditEvent record(AuditEvent.Builder builder) {
        AuditEvent event = builder.at(clock.instant());
        jdbc.sql("""
                INSERT INTO audit_event (id, occurred_at, event_type, actor, client_id, connector_id, citizen_id,
                    reference, reason, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(ids.next(), Timestamp.from(event.occurredAt()), event.type().name(),
                        event.actor(), event.clientId(), event.connectorId(), event.citizenId(), event.reference(),
                        truncate(event.reason(), 500), event.details().isEmpty() ? null : JSON.writeValueAsString(event.details()))
                .update();
        // No citizen id in the log (a log pipeline is no place for even a pseudonymous person id): the
        // reference code finds the event, with its citizen, on the admin API. With structured logging
        // (README "Logs") the type and reference are also fields of the JSON event, from the MDC.
        try (MDC.MDCCloseable type = MDC.putCloseable("event.action", event.type().name());
             MDC.MDCCloseable reference = event.reference() == null ? null
                     : MDC.putCloseable("passerelle.reference", event.reference())) {
            log.info("{} actor={} client={} connector={} reference={} reason={} details={}", event.type(),
                    event.actor(), event.clientId(), event.connectorId(), event.reference(), event.reason(),
                    event.details());
        }
        for (AuditListener listener : listeners) {
            try {
                listener.recorded(event);
            } catch (RuntimeException e) {
                log.warn("audit listener {} failed on {}", listener.getClass().getSimpleName(), event.type(), e);
            }
        }
        return event;
    }

    /** Events older than the retention go (package retention); a zero retention keeps them all. */
    public static ExpiredRows expiredRows(Duration retention) {
        return ExpiredRows.retained("audit_event", "audit_event", List.of("id"), "occurred_at < ?", retention);
    }

    @Override
    public List<AuditEvent> since(Instant from, int limit) {
        // The limit in the query (H2 and PostgreSQL both say LIMIT): the table grows with every login.
        return jdbc.sql("SELECT * FROM audit_event WHERE occurred_at >= ? ORDER BY occurred_at, id LIMIT ?")
                .params(Timestamp.from(from), limit).query(JdbcAuditLog::map).list();
    }

    @Override
    public List<AuditEvent> byReference(String reference) {
        return jdbc.sql("SELECT * FROM audit_event WHERE reference = ? ORDER BY occurred_at, id")
                .param(reference).query(JdbcAuditLog::map).list();
    }

    private static AuditEvent map(ResultSet rs, int row) throws SQLException {
        String details = rs.getString("details");
        Map<String, String> parsed = details == null ? Map.of() : new LinkedHashMap<>(JSON.readValue(details, DETAILS));
        return new AuditEvent(AuditType.valueOf(rs.getString("event_type")), rs.getTimestamp("occurred_at").toInstant(),
                rs.getString("actor"), rs.getString("client_id"), rs.getString("connector_id"), rs.getString("citizen_id"),
                rs.getString("reference"), rs.getString("reason"), parsed);
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}

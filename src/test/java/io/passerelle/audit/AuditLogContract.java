package io.passerelle.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The audit trail's contract, run on H2 and on PostgreSQL. */
abstract class AuditLogContract {

    private final Instant now = Instant.parse("2026-11-22T10:00:00Z");
    private AuditLog audit;

    abstract DataSource database();

    @BeforeEach
    void open() {
        audit = new JdbcAuditLog(JdbcClient.create(database()), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void recordsAndReadsBackEveryField() {
        audit.record(AuditEvent.of(AuditType.LOGIN_FAILED).actor("citizen").client("city-portal").connector("itsme")
                .citizen("c-123").reference("PSL-ABCDEFGH").reason("upstream timeout").detail("step", "token"));
        List<AuditEvent> events = audit.since(now.minusSeconds(1), 10);
        assertThat(events).hasSize(1);
        AuditEvent event = events.getFirst();
        assertThat(event.type()).isEqualTo(AuditType.LOGIN_FAILED);
        assertThat(event.occurredAt()).isEqualTo(now);
        assertThat(event.clientId()).isEqualTo("city-portal");
        assertThat(event.connectorId()).isEqualTo("itsme");
        assertThat(event.citizenId()).isEqualTo("c-123");
        assertThat(event.reason()).isEqualTo("upstream timeout");
        assertThat(event.details()).containsEntry("step", "token");
        assertThat(audit.byReference("PSL-ABCDEFGH")).containsExactly(event);
    }

    @Test
    void nationalNumbersAndTokensNeverReachTheTrail() {
        audit.record(AuditEvent.of(AuditType.UPSTREAM_AUTHENTICATED).reason("nn 85073003328 seen")
                .detail("token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.c2lnbmF0dXJlLXZhbHVl"));
        AuditEvent event = audit.since(now.minusSeconds(1), 10).getFirst();
        assertThat(event.reason()).isEqualTo("nn [masked] seen");
        assertThat(event.details().get("token")).isEqualTo("[masked]");
    }

    @Test
    void limitAndOrder() {
        for (int i = 0; i < 5; i++) {
            audit.record(AuditEvent.of(AuditType.CODE_ISSUED).client("p" + i));
        }
        assertThat(audit.since(now, 3)).hasSize(3);
        assertThat(audit.since(now.plusSeconds(1), 10)).isEmpty();
    }
}
